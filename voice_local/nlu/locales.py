"""Language-specific tables, selected by the interaction model's locale.

Everything that depends on the language lives here (and in numbers.py), so the matcher itself
only splits on whitespace and compares tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def _unchanged(word: str) -> str:
    return word


@dataclass(frozen=True)
class LocaleTable:
    language: str
    # Words and phrases that carry no meaning for intent matching; removed from both samples
    # and transcripts so they never count for or against a template.
    fillers: tuple[str, ...]
    # Words that, at the start of an utterance, address the assistant rather than the shop.
    wake_words: tuple[str, ...]
    launch_verbs: tuple[str, ...]
    # Alexa built-in intents arrive with Amazon's own phrases; the model lists no samples.
    builtin_phrases: Mapping[str, tuple[str, ...]]
    # Particles and counters glued to words ("바나나를", "두개"); split off when the stem is known.
    suffixes: tuple[str, ...] = ()
    # Spelling variants of the same function word (Korean particles after vowel/consonant).
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Words that only join a turn to the last one ("and a croissant", "oh and two lattes"):
    # dropped from the start of a transcript when more follows.
    leading_fillers: tuple[str, ...] = ()
    singularize: Callable[[str], str] = _unchanged
    # Fuzzy matching of very short words mostly produces false friends ("tea"/"tee").
    min_fuzzy_length: int = 4
    # Where an item's quantity and size stand: before it ("two large lattes") or after it
    # ("바나나 일곱 봉지").
    counts_follow_item: bool = False
    # Words that answer yes or no whatever follows them: "no, something different today" is a
    # no even when the rest means nothing to the model.
    answer_words: Mapping[str, str] = field(default_factory=dict)


def english_singular(word: str) -> str:
    """Cheap plural folding for matching only: both sides go through it, so 'bu' from 'bus'
    does no harm; it only has to map 'lattes' and 'latte' to the same key."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes", "oes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_ENGLISH = LocaleTable(
    language="en",
    answer_words={
        **dict.fromkeys(("yes", "yeah", "yep", "yup"), "AMAZON.YesIntent"),
        **dict.fromkeys(("no", "nope", "nah"), "AMAZON.NoIntent"),
    },
    fillers=(
        "um", "umm", "uh", "uhm", "er", "erm", "hmm", "ah", "please", "could you", "can you",
        "would you", "will you", "kindly", "just", "alexa", "hey", "oh please", "too", "as well",
        "also",
    ),
    wake_words=("alexa", "computer", "echo"),
    launch_verbs=("ask", "tell", "open", "launch", "start", "use"),
    builtin_phrases={
        "AMAZON.YesIntent": (
            "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "right", "of course",
            "absolutely", "that's right", "do it", "go ahead", "sounds good", "sounds great",
            "perfect", "please do", "that's fine", "go for it", "sure thing",
            "that works", "great", "lovely",
        ),
        "AMAZON.NoIntent": (
            "no", "nope", "nah", "no thanks", "no thank you", "not now", "not really", "wrong",
            "don't", "i'm good", "nah i'm good", "leave it", "no i'll leave it", "no need",
            "not today", "i'll pass", "no that's okay",
        ),
        "AMAZON.StopIntent": (
            "stop", "off", "shut up", "be quiet", "quiet", "enough", "exit", "quit", "goodbye",
            "bye",
        ),
        "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it", "cancel that"),
        "AMAZON.HelpIntent": (
            "help", "help me", "what can i say", "what can you do", "how does this work",
            "i need help", "i'm not sure what to say", "what do i say", "how do i order",
            "i don't know what to say",
        ),
        "AMAZON.NavigateHomeIntent": ("go home", "home", "main menu", "go to the start"),
        "AMAZON.RepeatIntent": ("repeat", "say that again", "repeat that", "what did you say"),
        "AMAZON.StartOverIntent": ("start over", "restart", "start again"),
        "AMAZON.PauseIntent": ("pause", "wait", "hold on"),
        "AMAZON.ResumeIntent": ("resume", "continue", "go on"),
        "AMAZON.NextIntent": ("next", "next one", "skip"),
        "AMAZON.PreviousIntent": ("previous", "go back", "back"),
    },
    # "an oat milk" is the sample "a {product}".
    # Everyday verbs for the samples' own: "toss a brownie in", "lose the bagel", "grab me".
    aliases={
        "an": "a", "toss": "add", "stick": "add", "chuck": "add", "pop": "add",
        "include": "add", "grab": "get", "ditch": "remove", "lose": "remove", "scrap": "remove",
        "nix": "remove", "pull": "take", "suggest": "recommend", "basket": "cart",
        "trolley": "cart",
    },
    leading_fillers=("and", "oh", "so", "also", "then", "plus"),
    singularize=english_singular,
)

_KOREAN_COUNTERS = (
    "개", "병", "팩", "봉지", "봉", "잔", "번", "권", "장", "명", "마리", "박스", "상자", "통",
    "캔", "세트", "묶음", "판", "송이", "줄", "알", "킬로", "그램",
)

_KOREAN = LocaleTable(
    language="ko",
    counts_follow_item=True,
    answer_words={
        **dict.fromkeys(("네", "응", "예"), "AMAZON.YesIntent"),
        **dict.fromkeys(("아니요", "아니", "아니오", "아뇨"), "AMAZON.NoIntent"),
    },
    fillers=("음", "어음", "저기", "저기요", "좀", "제발", "알렉사", "저", "아"),
    wake_words=("알렉사",),
    launch_verbs=(),
    builtin_phrases={
        "AMAZON.YesIntent": (
            "네", "응", "예", "그래", "좋아", "맞아", "그래요", "네 맞아요", "좋아요",
        ),
        "AMAZON.NoIntent": ("아니요", "아니", "아니오", "아뇨", "싫어", "아니야", "됐어"),
        "AMAZON.StopIntent": ("그만", "멈춰", "정지", "종료", "그만해", "그만해 줘", "끝"),
        "AMAZON.CancelIntent": ("취소", "취소해", "취소해 줘", "됐어요"),
        "AMAZON.HelpIntent": ("도움말", "도와줘", "도움", "도와주세요", "뭐라고 말해야 돼"),
        "AMAZON.NavigateHomeIntent": ("홈", "홈으로", "처음으로", "홈 화면"),
        "AMAZON.RepeatIntent": ("다시 말해 줘", "뭐라고", "다시"),
        "AMAZON.StartOverIntent": ("처음부터", "다시 시작"),
        "AMAZON.NextIntent": ("다음",),
        "AMAZON.PreviousIntent": ("이전", "뒤로"),
    },
    suffixes=(
        "에서", "으로", "이랑", "하고", "을", "를", "은", "는", "이", "가", "에", "로", "도",
        "만", "과", "와", "랑", *_KOREAN_COUNTERS,
    ),
    aliases={"를": "을", "는": "은", "가": "이", "과": "와", "으로": "로", "이랑": "랑"},
    min_fuzzy_length=2,
)

_TABLES = {"en": _ENGLISH, "ko": _KOREAN}


def locale_table(locale: str) -> LocaleTable:
    """The table for 'en-US', 'en-GB', 'ko-KR', ...; unknown languages get neutral defaults."""
    language = locale.split("-")[0].lower()
    table = _TABLES.get(language)
    if table is not None:
        return table
    return LocaleTable(
        language=language, fillers=(), wake_words=(), launch_verbs=(),
        builtin_phrases={}, min_fuzzy_length=4,
    )


def korean_counters() -> tuple[str, ...]:
    return _KOREAN_COUNTERS
