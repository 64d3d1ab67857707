"""Chinese CV scans of our own making, with truth, to compare OCR engines (issue #15, class 10).

    .venv/bin/python benchmarks/make_zh_scans.py --out /tmp/zhscans [--count 24] [--seed 15]
    .venv/bin/python benchmarks/make_zh_scans.py --out /tmp/zhscans --from-pdf ../shared/corpus/dev

Fictional people (random surname + given name), one page each, drawn with the CJK fonts the
machine has (Noto Sans/Serif CJK, WenQuanYi, AR PL Kaiti/Sung: bin/setup installs them), with the
name headers that trip OCR on real CVs: a large bold name, a letter-spaced name ("张 伟"), white on a
dark banner. Then the page is degraded as a phone photo or an office scan would be: 150-200 dpi,
skew of up to ±3°, blur, sensor noise, JPEG artefacts; saved as PNG, JPEG or an image-only PDF.
``--from-pdf DIR`` renders the ``*_zh_pdf*`` text PDFs of a corpus the same way (their truth
copied), so the engines also meet that generator's layouts as scans.

Each file gets its truth in ``<file>.json`` (the corpus format), so
``python -m cvs.extraction.evaluate OUT`` scores it. The output is not committed: rerun to
rebuild; it is deterministic for a seed and the installed fonts.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩"
    "凯健俊帆帅旭宁龙林欣悦思雨梓涵子轩博文佳怡晨阳一诺嘉怡浩然雪梅志强建国晓东海燕春梅"
)
COMPANIES = ["华信科技有限公司", "远航数据股份有限公司", "星辰软件有限公司", "蓝海网络科技公司", "中科智能研究院",
             "东方电子商务有限公司", "新能源汽车集团", "恒通物流有限公司", "云图信息技术有限公司", "嘉禾医疗器械公司"]
TITLES = ["软件工程师", "数据分析师", "产品经理", "测试工程师", "前端开发工程师", "后端开发工程师", "运维工程师",
          "算法工程师", "项目经理", "市场专员"]
SCHOOLS = ["北京大学", "清华大学", "浙江大学", "复旦大学", "南京大学", "武汉大学", "中山大学", "四川大学", "厦门大学", "同济大学"]
DEGREES = [("学士", "计算机科学与技术"), ("硕士", "软件工程"), ("学士", "统计学"), ("硕士", "电子信息工程"), ("学士", "市场营销")]
SKILLS = ["Python", "Java", "SQL", "Docker", "Kubernetes", "Excel", "Linux", "Git", "React", "Spark", "Tableau", "Go"]
HANDLES = ["zhang", "liwei", "chenyu", "wangfang", "hxu", "mingl", "sunny", "yangjie", "zhaoq", "lin88", "tao", "kevin"]

# family name (fontconfig) -> style; the first match of each that the machine has is used.
FONTS = [
    ("Noto Sans CJK SC:style=Bold", "Noto Sans CJK SC:style=Regular"),
    ("Noto Serif CJK SC:style=Bold", "Noto Serif CJK SC:style=Regular"),
    ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei"),
    ("AR PL KaitiM GB", "AR PL SungtiL GB"),
]
HEADERS = ("large", "spaced", "banner")


def _font_file(pattern: str) -> str | None:
    found = subprocess.run(["fc-match", "-f", "%{file}|%{family}", pattern], capture_output=True, text=True,
                           check=False).stdout
    path, _, family = found.partition("|")
    # fc-match always answers; only an answer of the family asked for counts.
    return path if path and pattern.split(":")[0].lower() in family.lower() else None


def _fonts() -> list[tuple[str, str]]:
    pairs = [(_font_file(bold), _font_file(regular)) for bold, regular in FONTS]
    return [(b, r) for b, r in pairs if b and r]


def _person(rng: random.Random) -> dict:
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
    start = rng.randint(2014, 2019)
    jobs = []
    for i in range(2):
        end_year = None if i == 0 else start + 2
        begin = start + 3 if i == 0 else start
        jobs.append({"title": rng.choice(TITLES), "company": COMPANIES[(start + i * 3 + len(name)) % len(COMPANIES)],
                     "start": f"{begin}-{rng.randint(1, 12):02d}",
                     "end": None if end_year is None else f"{end_year}-{rng.randint(1, 12):02d}",
                     "is_current": end_year is None})
    degree, field = rng.choice(DEGREES)
    handle = rng.choice(HANDLES) + str(rng.randint(1, 99))
    return {
        "contact_info": {"name": name, "email": f"{handle}@example.com",
                         "phone": f"1{rng.randint(30, 89)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"},
        "headline": jobs[0]["title"],
        "experience": jobs,
        "education": [{"institution": rng.choice(SCHOOLS), "degree": degree, "field": field, "end_year": start}],
        "skills": rng.sample(SKILLS, 5),
    }


def _month(value: str | None) -> str:
    if value is None:
        return "至今"
    year, month = value.split("-")
    return f"{year}年{int(month)}月"


def _draw_page(person: dict, fonts: tuple[str, str], header: str, dpi: int, rng: random.Random) -> Image.Image:
    px = dpi / 72  # points to pixels
    page = Image.new("L", (round(595 * px), round(842 * px)), 255)
    draw = ImageDraw.Draw(page)
    bold, regular = fonts
    body = ImageFont.truetype(regular, round(10.5 * px))
    heading = ImageFont.truetype(bold, round(14 * px))
    name_font = ImageFont.truetype(bold, round(rng.choice((26, 32, 40)) * px))
    margin, y = round(56 * px), round(48 * px)
    name = person["contact_info"]["name"]
    shown = " ".join(name) if header == "spaced" else name
    box = draw.textbbox((margin, y), shown, font=name_font)
    if header == "banner":
        draw.rectangle((0, y - round(14 * px), page.width, box[3] + round(14 * px)), fill=40)
        draw.text((margin, y), shown, font=name_font, fill=255)
    else:
        draw.text((margin, y), shown, font=name_font, fill=0)
    y = box[3] + round(22 * px)

    def line(text: str, font: ImageFont.FreeTypeFont = body, gap: float = 6) -> None:
        nonlocal y
        draw.text((margin, y), text, font=font, fill=0)
        y = draw.textbbox((margin, y), text, font=font)[3] + round(gap * px)

    contact = person["contact_info"]
    line(person["headline"])
    line(f"{contact['email']} | {contact['phone']}", gap=16)
    line("工作经历", heading, 10)
    for job in person["experience"]:
        line(f"{job['company']} | {job['title']}")
        line(f"{_month(job['start'])} - {_month(job['end'])}")
        line("负责核心业务系统的设计与开发，与团队协作完成项目交付。", gap=12)
    line("教育背景", heading, 10)
    school = person["education"][0]
    line(f"{school['institution']} | {school['degree']} {school['field']}")
    line(f"{school['end_year'] - 4} - {school['end_year']}", gap=16)
    line("专业技能", heading, 10)
    line(", ".join(person["skills"]))
    return page


def _degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    page = page.rotate(rng.uniform(-3, 3), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    pixels = np.asarray(page, dtype=np.float32) + np.random.default_rng(rng.randint(0, 2**31)).normal(
        0, rng.uniform(6, 16), (page.height, page.width))
    page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=rng.randint(35, 70))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


def _save(page: Image.Image, out: Path, stem: str, kind: str, dpi: int, truth: dict) -> None:
    suffix = {"png": ".png", "jpg": ".jpg", "scan": ".pdf"}[kind]
    path = out / f"{stem}_{kind}{suffix}"
    if kind == "jpg":
        page.save(path, "JPEG", quality=80)
    elif kind == "scan":
        page.save(path, "PDF", resolution=dpi)
    else:
        page.save(path)
    truth = {"file": path.name, "format": suffix[1:], "layout": kind, "language": "zh", **truth}
    path.with_name(path.name + ".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--from-pdf", type=Path, default=None, help="also render this corpus's *_zh_pdf* files as scans")
    args = parser.parse_args()
    fonts = _fonts()
    if not fonts:
        print("no CJK font found (fc-match): install fonts-noto-cjk", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    kinds = ("png", "jpg", "scan")
    for i in range(args.count):
        person = _person(rng)
        header = HEADERS[i % len(HEADERS)]
        font = fonts[(i // len(HEADERS)) % len(fonts)]
        dpi = rng.choice((150, 200))
        page = _degrade(_draw_page(person, font, header, dpi, rng), rng)
        family = f"zhscan-{header}-{Path(font[0]).stem.split('-')[0].lower()}"
        _save(page, args.out, f"zs{i:02d}", kinds[i % len(kinds)], dpi, {"family": family, **person})
    if args.from_pdf:
        for j, pdf in enumerate(sorted(args.from_pdf.glob("*_zh_pdf*.pdf"))):
            truth = json.loads(pdf.with_name(pdf.name + ".json").read_text(encoding="utf-8"))
            with pymupdf.open(pdf) as doc:
                dpi = rng.choice((150, 200))
                pix = doc[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
                page = Image.frombytes("L", (pix.width, pix.height), pix.samples)
            truth = {k: v for k, v in truth.items() if k not in ("file", "format", "layout", "language")}
            truth["family"] = "zhscan-from-" + pdf.stem.rsplit("_", 1)[-1]
            _save(_degrade(page, rng), args.out, pdf.stem + "_as", kinds[j % len(kinds)], dpi, truth)
    print(f"wrote {len(list(args.out.glob('*.json')))} scans with truth to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
