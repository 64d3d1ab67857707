"""Branded CV documents: per-tenant templates rendered to PDF and DOCX, served by expiring links."""
