from portal.chat.masking import mask


def test_phone_numbers_are_masked():
    assert mask("numaram 0532 123 45 67 arayın") == "numaram [phone] arayın"
    assert mask("call +90 (532) 111-22-33 please") == "call [phone] please"
    assert mask("05551234567") == "[phone]"


def test_access_codes_are_masked_but_references_and_times_kept():
    assert mask("code K7P2QX") == "code [code]"
    assert mask("ref GIB-7K3M-Q9 and code 4F9A-22B7") == "ref GIB-7K3M-Q9 and code [code]"
    assert mask("case GC-2026-7K3M9Q code ABCD-EFGH") == "case GC-2026-7K3M9Q code [code]"
    assert mask("kod: k7p2 qx9a") == "kod: [code]"
    assert mask("at 10:30 on 25 November") == "at 10:30 on 25 November"
    assert mask("on 25 May at 10h30") == "on 25 May at 10h30"


def test_plain_text_unchanged():
    assert mask("ikamet izni uzatma ne zaman yapılır?") == "ikamet izni uzatma ne zaman yapılır?"
    assert mask("") == ""


def test_email_addresses_and_passport_numbers_are_masked():
    assert mask("write to ali.veli+goc@example.com.tr today") == "write to [email] today"
    assert mask("pasaport no U12345678") == "pasaport no [code]"


def test_text_that_looks_like_internal_placeholders_is_safe():
    assert mask("\x000\x00 and \x007\x00 GIB-7K3M-Q9") == "\x000\x00 and \x007\x00 GIB-7K3M-Q9"
    assert mask("[phone] [code] 0532 123 45 67") == "[phone] [code] [phone]"


def test_ibans_and_identity_numbers_are_masked():
    text = mask("IBAN TR33 0006 1005 1978 6457 8413 26, kimlik no 99123456780, DE89370400440532013000")
    assert "[iban]" in text and "0006" not in text and "99123456780" not in text and "DE89" not in text


def test_letters_only_codes_typed_in_any_case_are_masked_but_hyphened_words_are_not():
    for typed in ("my code is kmpq-rtxz", "code: Kmpq-Rtxz please", "KMPQ-RTXZ"):
        assert "[code]" in mask(typed) and "rtxz" not in mask(typed).lower(), typed
    for kept in ("a long-term permit", "part-time work", "a well-kept secret", "self-help group"):
        assert mask(kept) == kept


def test_dates_written_with_digits_stay_readable():
    for date in ("2026-12-08", "on 08.12.2026 please", "8/12/26", "2026-12-08T09:20"):
        assert mask(date) == date
    assert mask("2026-13-45") == "[phone]" and mask("0532-123-4567") == "[phone]"
