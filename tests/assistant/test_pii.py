from __future__ import annotations

import pytest

from assistant.pii import PiiMasker, id_number_is_valid, luhn_is_valid, mask_pii


def luhn_complete(prefix: str) -> str:
    """Appends the Luhn check digit, so tests don't depend on a hand-picked card number."""
    for d in "0123456789":
        if luhn_is_valid(prefix + d):
            return prefix + d
    raise AssertionError("unreachable")


def id_complete(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


VALID_CARD = luhn_complete("622202123456789")  # 16-digit UnionPay-like
VALID_VISA = luhn_complete("411111111111111")
INVALID_CARD = VALID_CARD[:-1] + str((int(VALID_CARD[-1]) + 1) % 10)
VALID_ID = id_complete("11010519491231002")  # check character X
VALID_ID_DIGIT = id_complete("44030619900307123")
INVALID_ID = VALID_ID_DIGIT[:-1] + str((int(VALID_ID_DIGIT[-1]) + 1) % 10) if VALID_ID_DIGIT[-1] != "X" else "0"


def test_fixture_numbers_are_what_they_claim() -> None:
    assert VALID_ID.endswith("X") and id_number_is_valid(VALID_ID)
    assert id_number_is_valid(VALID_ID_DIGIT) and not id_number_is_valid(INVALID_ID)
    assert luhn_is_valid(VALID_CARD) and not luhn_is_valid(INVALID_CARD)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的手机是13812345678", "我的手机是[PHONE ****5678]"),
        ("电话 138 1234 5678 谢谢", "电话 [PHONE ****5678] 谢谢"),
        ("电话138-1234-5678", "电话[PHONE ****5678]"),
        ("call me on +86 138 1234 5678.", "call me on [PHONE ****5678]."),
        ("+8613812345678", "[PHONE ****5678]"),
        ("86 13912345678", "[PHONE ****5678]"),
        ("0086-13812345678", "[PHONE ****5678]"),
        ("US office +1 415 555 2671", "US office [PHONE ****2671]"),
        ("London: +44 20 7946 0958", "London: [PHONE ****0958]"),
        ("Paris +33 1 42 68 53 00", "Paris [PHONE ****5300]"),
        ("座机 010-6275 1234", "座机 [PHONE ****1234]"),
        (f"身份证号{VALID_ID}", f"身份证号[ID ****{VALID_ID[-4:]}]"),
        (f"ID: {VALID_ID.lower()}", f"ID: [ID ****{VALID_ID[-4:]}]"),
        (f"my id is {VALID_ID_DIGIT}", f"my id is [ID ****{VALID_ID_DIGIT[-4:]}]"),
        (f"卡号{VALID_CARD}", f"卡号[CARD ****{VALID_CARD[-4:]}]"),
        (
            f"card {VALID_VISA[:4]} {VALID_VISA[4:8]} {VALID_VISA[8:12]} {VALID_VISA[12:]}",
            f"card [CARD ****{VALID_VISA[-4:]}]",
        ),
        (
            f"卡号 {VALID_CARD[:4]}-{VALID_CARD[4:8]}-{VALID_CARD[8:12]}-{VALID_CARD[12:]}",
            f"卡号 [CARD ****{VALID_CARD[-4:]}]",
        ),
        ("mail zhang.san+x@example.com now", "mail [EMAIL ****@example.com] now"),
        ("邮箱是13812345678@qq.com", "邮箱是[EMAIL ****@qq.com]"),
    ],
)
def test_masks_pii_keeping_last_four(masker: PiiMasker, text: str, masked: str) -> None:
    assert masker.mask(text).text == masked


@pytest.mark.parametrize(
    "text",
    [
        "订单号 202611180001234567 退款",  # 18 digits, not an ID checksum
        f"order no. {VALID_VISA}",  # Luhn-valid, but it says it is an order number
        f"订单号：{VALID_CARD}",
        f"card {INVALID_CARD}",  # fails Luhn
        f"身份证 {INVALID_ID}",  # wrong check character
        "123456789012345678",
        "预算 1,000,000 元",
        "年薪 400000",
        "I paid 12999.99 yuan",
        "2026-10-01 to 2026-10-31",
        "20261001",
        "我是2026年买的",
        "保单号 PA2026123456789012",
        "policy INS00123456789",
        "item C001 and FIN030",
        "I'm 35 and earn 300000",
        "+1 555 0000",  # not a valid number anywhere
        "1381234567",  # 10 digits: not a mobile
    ],
)
def test_leaves_non_pii_numbers_alone(masker: PiiMasker, text: str) -> None:
    result = masker.mask(text)
    assert result.text == text
    assert result.found == ()


def test_reports_kind_and_span_of_each_match() -> None:
    text = f"手机13812345678，邮箱a@b.cn，卡{VALID_CARD}，身份证{VALID_ID}"
    result = mask_pii(text)
    assert [m.kind for m in result.found] == ["phone", "email", "bank_card", "id_number"]
    for match in result.found:
        assert text[match.start : match.end] in ("13812345678", "a@b.cn", VALID_CARD, VALID_ID)
    assert "13812345678" not in result.text and VALID_CARD not in result.text and VALID_ID not in result.text
    assert result.kinds == {"phone", "email", "bank_card", "id_number"}


def test_adjacent_numbers_are_split_before_judging(masker: PiiMasker) -> None:
    assert masker.mask("I'm 35 13812345678").text == "I'm 35 [PHONE ****5678]"


def test_text_without_pii_is_returned_unchanged(masker: PiiMasker) -> None:
    result = masker.mask("我想了解一下重疾险")
    assert result.text == "我想了解一下重疾险" and result.found == ()
