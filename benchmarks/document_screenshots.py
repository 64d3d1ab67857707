"""Render two corpus candidates with a demo template and save first-page PNGs for docs/documents.md.

    python benchmarks/document_screenshots.py   # writes docs/img/cv-document-{en,zh}.png, prints render times
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import django  # noqa: E402

from config.bootstrap import prepare  # noqa: E402

prepare()  # local settings: embedded PostgreSQL when DATABASE_URL is unset, local secret key
django.setup()

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from cvs.documents.content import build_content  # noqa: E402
from cvs.documents.render_pdf import Branding, render_pdf  # noqa: E402
from tests.documents.corpus import corpus_cv  # noqa: E402


def demo_logo() -> bytes:
    """A monogram on transparent ground, standing in for a firm's uploaded logo."""
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(200, 162, 74, 255))
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf", 120)
    draw.text((120, 124), "TP", font=font, fill=(31, 58, 95, 255), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def main() -> None:
    branding = Branding(
        firm_name="Talentia Partners",
        contact_line="8 Quai des Chartrons, 33000 Bordeaux · +33 5 56 00 00 00 · talentia.example",
        logo=demo_logo(),
    )
    samples = {
        "en": ("cv01_000_en_pdf1.pdf", "Backend engineer who designs event-driven services and the platforms that run them. "
               "Known for calm incident handling, clear documentation and mentoring.",
               ["Designed the event pipeline that processes two million messages a day",
                "Cut cloud costs by 30% by right-sizing clusters and moving batch jobs to spot capacity",
                "Mentored four engineers through their first on-call rotations"]),
        "zh": ("cv01_003_zh_pdf1.pdf", "六年互联网产品经验，擅长数据驱动的产品规划与跨团队协作，熟悉从需求调研到上线运营的完整流程。",
               ["负责数据平台产品规划，推动三个业务线接入", "建立需求评审与版本发布流程，交付周期缩短 30%", "指导两名初级产品经理"]),
    }
    out = REPO / "docs" / "img"
    for language, (file_name, summary, tasks) in samples.items():
        data = corpus_cv(file_name)
        data["summary"] = summary
        data["experience"][0]["tasks"] = tasks
        started = time.perf_counter()
        pdf = render_pdf(build_content(data), branding)
        print(f"{language}: {len(pdf)} bytes in {(time.perf_counter() - started) * 1000:.0f} ms")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cv.pdf"
            path.write_bytes(pdf)
            command = ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(path), str(Path(tmp) / "page")]
            subprocess.run(command, check=True)
            (out / f"cv-document-{language}.png").write_bytes((Path(tmp) / "page.png").read_bytes())


if __name__ == "__main__":
    main()
