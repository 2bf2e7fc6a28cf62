# ruff: noqa: RUF001  (Chinese is written with full-width punctuation)
"""The frame sentences of a counter-narrative draft, per language.

No translation model works offline, so the sentences around the facts are written here for the
languages the desk and the demo use (English, Indonesian, Malay, Arabic, Chinese, Spanish,
French). A draft in another language gets the English frame under a "[translate]" line, and a
fact that exists only in another language is quoted as it is, after "[translate] (xx)".
"""

from __future__ import annotations

TRANSLATE = "[translate]"
FALLBACK = "en"

FRAMES: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Setting the record straight",
        "claim": "Posts circulating since {date} claim:",
        "verdict.false": "This claim is false.",
        "verdict.misleading": "This claim is misleading.",
        "verdict.mixed": "This claim is only partly true.",
        "verdict.unproven": "There is no evidence for this claim.",
        "verdict.true": "This claim is accurate.",
        "verdict.other": "This claim has been checked.",
        "facts": "The facts:",
        "positions": "The official position:",
        "empty": "[add the verified facts here]",
        "action": "Please check official channels before sharing, and share this correction.",
        "sources": "Sources:",
    },
    "id": {
        "heading": "Meluruskan informasi",
        "claim": "Unggahan yang beredar sejak {date} menyebutkan:",
        "verdict.false": "Klaim ini tidak benar.",
        "verdict.misleading": "Klaim ini menyesatkan.",
        "verdict.mixed": "Klaim ini hanya sebagian benar.",
        "verdict.unproven": "Tidak ada bukti untuk klaim ini.",
        "verdict.true": "Klaim ini akurat.",
        "verdict.other": "Klaim ini sudah diperiksa.",
        "facts": "Faktanya:",
        "positions": "Sikap resmi:",
        "empty": "[tambahkan fakta yang sudah diverifikasi di sini]",
        "action": "Mohon periksa kanal resmi sebelum membagikan, dan sebarkan klarifikasi ini.",
        "sources": "Sumber:",
    },
    "ms": {
        "heading": "Memperbetulkan maklumat",
        "claim": "Hantaran yang tersebar sejak {date} mendakwa:",
        "verdict.false": "Dakwaan ini tidak benar.",
        "verdict.misleading": "Dakwaan ini mengelirukan.",
        "verdict.mixed": "Dakwaan ini hanya sebahagiannya benar.",
        "verdict.unproven": "Tiada bukti bagi dakwaan ini.",
        "verdict.true": "Dakwaan ini tepat.",
        "verdict.other": "Dakwaan ini telah disemak.",
        "facts": "Fakta sebenar:",
        "positions": "Pendirian rasmi:",
        "empty": "[tambah fakta yang telah disahkan di sini]",
        "action": "Sila semak saluran rasmi sebelum berkongsi, dan kongsikan penjelasan ini.",
        "sources": "Sumber:",
    },
    "ar": {
        "heading": "تصحيح المعلومات",
        "claim": "تزعم منشورات متداولة منذ {date}:",
        "verdict.false": "هذا الادعاء غير صحيح.",
        "verdict.misleading": "هذا الادعاء مضلل.",
        "verdict.mixed": "هذا الادعاء صحيح جزئياً فقط.",
        "verdict.unproven": "لا يوجد دليل على هذا الادعاء.",
        "verdict.true": "هذا الادعاء دقيق.",
        "verdict.other": "تم التحقق من هذا الادعاء.",
        "facts": "الحقائق:",
        "positions": "الموقف الرسمي:",
        "empty": "[أضف الحقائق التي تم التحقق منها هنا]",
        "action": "يرجى التحقق من القنوات الرسمية قبل النشر، وشاركوا هذا التصحيح.",
        "sources": "المصادر:",
    },
    "zh": {
        "heading": "澄清事实",
        "claim": "自{date}起流传的帖子声称：",
        "verdict.false": "这一说法不实。",
        "verdict.misleading": "这一说法具有误导性。",
        "verdict.mixed": "这一说法仅部分属实。",
        "verdict.unproven": "这一说法没有证据支持。",
        "verdict.true": "这一说法属实。",
        "verdict.other": "这一说法已经过核查。",
        "facts": "事实：",
        "positions": "官方立场：",
        "empty": "[请在此添加经核实的事实]",
        "action": "转发前请查看官方渠道，并分享这一澄清。",
        "sources": "来源：",
    },
    "es": {
        "heading": "Aclarando los hechos",
        "claim": "Publicaciones que circulan desde el {date} afirman:",
        "verdict.false": "Esta afirmación es falsa.",
        "verdict.misleading": "Esta afirmación es engañosa.",
        "verdict.mixed": "Esta afirmación es solo parcialmente cierta.",
        "verdict.unproven": "No hay pruebas de esta afirmación.",
        "verdict.true": "Esta afirmación es correcta.",
        "verdict.other": "Esta afirmación ha sido verificada.",
        "facts": "Los hechos:",
        "positions": "La posición oficial:",
        "empty": "[añada aquí los hechos verificados]",
        "action": "Consulte los canales oficiales antes de compartir, y comparta esta aclaración.",
        "sources": "Fuentes:",
    },
    "fr": {
        "heading": "Rétablir les faits",
        "claim": "Des publications qui circulent depuis le {date} affirment :",
        "verdict.false": "Cette affirmation est fausse.",
        "verdict.misleading": "Cette affirmation est trompeuse.",
        "verdict.mixed": "Cette affirmation n'est que partiellement vraie.",
        "verdict.unproven": "Rien ne prouve cette affirmation.",
        "verdict.true": "Cette affirmation est exacte.",
        "verdict.other": "Cette affirmation a été vérifiée.",
        "facts": "Les faits :",
        "positions": "La position officielle :",
        "empty": "[ajoutez ici les faits vérifiés]",
        "action": "Vérifiez les canaux officiels avant de partager, et partagez ce rectificatif.",
        "sources": "Sources :",
    },
}
LANGUAGES = tuple(FRAMES)


def frame(language: str) -> tuple[dict[str, str], bool]:
    """The frame sentences for a language, and whether they are the English fallback."""
    if language in FRAMES:
        return FRAMES[language], False
    return FRAMES[FALLBACK], True
