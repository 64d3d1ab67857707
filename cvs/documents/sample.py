"""A made-up CV in the cv-data contract shape: what a template preview renders."""

SAMPLE_CV = {
    "language": "en",
    "contact_info": {
        "name": "Alex Morgan",
        "email": "alex.morgan@example.com",
        "phone": "+44 20 7946 0958",
        "location": "London",
        "linkedin": "linkedin.com/in/alex-morgan-example",
    },
    "headline": "Senior Data Engineer",
    "years_of_experience": 8,
    "summary": "Data engineer who builds reliable batch and streaming platforms and enjoys turning messy sources into "
    "well-documented, trusted datasets. Comfortable leading small teams and talking to business owners.",
    "experience": [
        {
            "title": "Senior Data Engineer", "company": "Northwind Analytics", "location": "London",
            "start_date": "2021-03", "end_date": None, "is_current": True,
            "tasks": ["Led the migration of nightly batch jobs to a streaming platform, cutting data latency from hours to minutes",
                      "Introduced data contracts and automated quality checks for 40 source systems",
                      "Mentored four engineers and ran the team's hiring loop"],
            "tech_tools": ["Python", "Kafka", "Airflow", "dbt", "Snowflake"],
        },
        {
            "title": "Data Engineer", "company": "Contoso Retail", "location": "Manchester",
            "start_date": "2017-09", "end_date": "2021-02", "is_current": False,
            "tasks": ["Built the customer data warehouse used by marketing and finance",
                      "Automated the weekly sales reporting, saving two days of manual work per week"],
            "tech_tools": ["SQL", "Apache Spark", "AWS"],
        },
    ],
    "education": [
        {"institution": "University of Leeds", "degree": "MSc", "field_of_study": "Computer Science", "graduation_year": 2017},
    ],
    "certifications": [{"name": "AWS Certified Data Engineer – Associate", "issuer": "Amazon Web Services", "year": 2023}],
    "skills": ["Python", "SQL", "Kafka", "Airflow", "dbt", "Snowflake", "Apache Spark", "AWS", "Terraform"],
    "languages": [{"language": "English", "level": "Native"}, {"language": "French", "level": "B2"}],
    "projects": [
        {"name": "Open data quality toolkit", "role": "Maintainer", "period": "2022 – 2024",
         "description": "A small open-source library of data quality checks for dbt projects."},
    ],
}
