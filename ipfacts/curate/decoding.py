"""Bytes to text as the document says it is encoded, or a refusal: never mojibake in a seed.

What decides, first that applies (as browsers do):
1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. the charset the server sent (`Content-Type: text/html; charset=big5`), for a page fetched by URL;
3. for HTML, what the page declares in its first 4096 bytes: `<meta charset="…">` or
   `<meta http-equiv="Content-Type" content="…; charset=…">` (and an XML declaration's encoding);
4. nothing declared: UTF-8 if the bytes are UTF-8; else the one of GB18030, Big5 and Shift_JIS whose
   reading is most like Chinese (or Japanese) text — the share of its characters that are common
   ones. When none reads as text, the document is refused.

A declared encoding is decoded strictly: a byte it cannot decode is an error with its offset, not a
replacement character. GB2312 and GBK are read as GB18030 (their superset), Big5 as Big5-HKSCS,
Shift_JIS as CP932 (Windows' Shift_JIS, what such pages are written in).
"""

from __future__ import annotations

import codecs
import re

from ipfacts.load.hanzi import simplified

# The commonest Chinese characters (simplified; traditional text is compared after OpenCC's t2s).
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
    "因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"
    "解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级"
    "少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领"
    "七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每"
    "目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影"
    "算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准"
    "精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
    "该铁价严龙飞专利商标版权知识产权保护申请授权有效发明注册登记案件万亿元同比增长全省全市")
_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""")
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
            "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs",
            "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
            "ms_kanji": "cp932", "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
GUESSES = ("gb18030", "big5hkscs", "cp932")


class DecodeError(Exception):
    """The bytes cannot be read as text: the message says why."""


def codec_name(label: str) -> str | None:
    """Python's codec for an encoding label as documents write it (None: unknown)."""
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER.search(content_type or "")
    return match.group(1) if match else None


def declared(data: bytes) -> str | None:
    """The encoding an HTML or XML document declares near its start (a label as written)."""
    head = data[:4096]
    match = _XML.match(head.lstrip()) or _META.search(head)
    return match.group(1).decode("ascii") if match else None


def decode(data: bytes, *, html: bool = False, charset: str | None = None) -> tuple[str, str]:
    """(text, the encoding used). `charset`: what the server said. Raises DecodeError."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[len(bom):], name, "its byte-order mark"), name
    for label, said in ((charset, "the server"), (declared(data) if html else None, "the page")):
        if label:
            codec = codec_name(label)
            if codec is None:
                raise DecodeError(f"{said} declares the encoding {label!r}, which ipfacts does not know")
            if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32") and html and said == "the page":
                continue  # a page that could be read to find this is not UTF-16 (as browsers rule)
            return _strict(data, codec, f"{said} declares {label}"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    scored = []
    for name in GUESSES:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((_score(text, name), name, text))
    if not scored:
        raise DecodeError("neither UTF-8, GB18030, Big5 nor Shift_JIS text, and it declares no encoding; "
                          "save it as UTF-8")
    score, name, text = max(scored, key=lambda s: s[0])
    if score < 0.25:
        raise DecodeError("cannot tell its encoding (it declares none; as GB18030, Big5 or Shift_JIS it reads as "
                          "no language); save it as UTF-8")
    return text, name


def _strict(data: bytes, name: str, why: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"{why}, but byte {exc.start} is not {name}: refused (no replacement characters in a "
                          "seed); save it in the encoding it declares, or as UTF-8") from exc


def _score(text: str, name: str) -> float:
    """The share of the non-ASCII letters that are common characters (kana count for Japanese)."""
    sample = [c for c in text[:200_000] if not c.isascii() and not c.isspace()]
    if not sample:
        return 0.0
    plain = simplified("".join(sample)) if name != "gb18030" else "".join(sample)
    common = sum(1 for c in plain if c in _COMMON or "\u3040" <= c <= "\u30ff" or "\uff00" <= c <= "\uffef"
                 or "\u3000" <= c <= "\u303f")
    return common / len(sample)
