"""Addresses are kept exactly, checked, flagged and attributed to a platform."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_kit.capture.urls import (
    FLAG_BACKSLASH,
    FLAG_BAD_PORT,
    FLAG_CONTROL,
    FLAG_DATA,
    FLAG_EMPTY,
    FLAG_FILE,
    FLAG_IDN,
    FLAG_INVISIBLE,
    FLAG_IP_HOST,
    FLAG_JAVASCRIPT,
    FLAG_MIXED_SCRIPTS,
    FLAG_NO_HOST,
    FLAG_NO_SCHEME,
    FLAG_NOT_WEB,
    FLAG_SPACES,
    FLAG_SURROUNDING_SPACE,
    FLAG_USERINFO,
    FLAG_VERY_LONG,
    check_url,
    guess_account,
)


def test_a_plain_https_address_is_valid_and_unflagged() -> None:
    check = check_url("https://www.facebook.com/john.smith/posts/123?ref=share#c")
    assert check.valid
    assert check.flags == ()
    assert check.host == "www.facebook.com"
    assert check.platform == "Facebook"


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://m.facebook.com/story.php?id=1", "Facebook"),
        ("https://fb.watch/abc/", "Facebook"),
        ("https://www.facebook.com/messages/t/1000", "Messenger"),
        ("https://www.messenger.com/t/1000", "Messenger"),
        ("https://www.instagram.com/p/Cxyz/", "Instagram"),
        ("https://x.com/someone/status/1", "X (Twitter)"),
        ("https://mobile.twitter.com/someone", "X (Twitter)"),
        ("https://www.tiktok.com/@someone/video/1", "TikTok"),
        ("https://vm.tiktok.com/ZMabc/", "TikTok"),
        ("https://www.snapchat.com/add/someone", "Snapchat"),
        ("https://web.whatsapp.com/", "WhatsApp Web"),
        ("https://wa.me/447700900000", "WhatsApp"),
        ("https://youtu.be/dQw4w9WgXcQ", "YouTube"),
        ("https://m.youtube.com/watch?v=1", "YouTube"),
        ("https://www.linkedin.com/in/someone", "LinkedIn"),
        ("https://old.reddit.com/r/teachers/comments/1", "Reddit"),
        ("https://discord.gg/abcdef", "Discord"),
        ("https://t.me/somechannel", "Telegram"),
        ("https://www.threads.net/@someone", "Threads"),
        ("https://bsky.app/profile/someone.bsky.social", "Bluesky"),
        ("https://www.twitch.tv/someone", "Twitch"),
        ("https://www.roblox.com/users/123/profile", "Roblox"),
        ("https://www.minecraft.net/en-us", "Minecraft"),
        ("https://www.planetminecraft.com/member/x/", "Minecraft community"),
        ("https://mail.google.com/mail/u/0/#inbox/abc", "Gmail"),
        ("https://outlook.live.com/mail/0/inbox", "Outlook web mail"),
        ("https://outlook.office.com/mail/", "Outlook web mail"),
        ("https://home.classdojo.com/#/story", "ClassDojo"),
        ("https://classroom.google.com/c/abc", "Google Classroom"),
        ("https://teams.microsoft.com/l/message/1", "Microsoft Teams"),
        ("HTTPS://WWW.FACEBOOK.COM/Someone", "Facebook"),
    ],
)
def test_known_platforms_are_named(url: str, platform: str) -> None:
    check = check_url(url)
    assert check.valid, check.flags
    assert check.platform == platform


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://evilfacebook.com/x", "evilfacebook.com"),
        ("https://facebook.com.evil.example/x", "facebook.com.evil.example"),
        ("https://www.school-gossip.example/thread/9", "www.school-gossip.example"),
    ],
)
def test_look_alike_and_unknown_hosts_keep_their_own_name(url: str, host: str) -> None:
    check = check_url(url)
    assert check.valid
    assert (check.host, check.platform) == (host, host)


def test_text_is_never_altered() -> None:
    text = "  https://x.com/someone\n"
    check = check_url(text)
    assert check.text == text
    assert check.valid
    assert FLAG_SURROUNDING_SPACE in check.flags


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("javascript:alert(document.cookie)", FLAG_JAVASCRIPT),
        ("JaVaScRiPt:alert(1)", FLAG_JAVASCRIPT),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", FLAG_DATA),
        ("file:///C:/Users/teacher/secret.docx", FLAG_FILE),
        ("mailto:head@school.example", FLAG_NOT_WEB),
        ("ftp://files.example/x", FLAG_NOT_WEB),
        ("he said meet me after school", FLAG_NOT_WEB),
    ],
)
def test_other_schemes_are_kept_as_text_and_flagged(text: str, flag: str) -> None:
    check = check_url(text)
    assert not check.valid
    assert check.text == text
    assert FLAG_NOT_WEB in check.flags
    assert flag in check.flags
    assert check.host is None and check.platform is None


def test_empty_text_is_flagged_not_refused() -> None:
    for text in ("", "   "):
        check = check_url(text)
        assert (check.text, check.valid, check.flags) == (text, False, (FLAG_EMPTY,))


def test_an_address_without_scheme_still_names_its_platform() -> None:
    check = check_url("instagram.com/someone")
    assert not check.valid
    assert FLAG_NO_SCHEME in check.flags
    assert check.platform == "Instagram"


def test_a_very_long_address_is_kept_whole_and_flagged() -> None:
    text = "https://example.com/" + "a" * 10_000
    check = check_url(text)
    assert check.text == text
    assert check.valid
    assert FLAG_VERY_LONG in check.flags


def test_cyrillic_homograph_is_flagged_and_not_attributed_to_the_real_site() -> None:
    text = "https://\u0430pple.com/login"  # the first letter is Cyrillic а
    check = check_url(text)
    assert check.text == text
    assert FLAG_IDN in check.flags
    assert FLAG_MIXED_SCRIPTS in check.flags
    assert check.host == "\u0430pple.com"
    assert check.platform != "apple.com"


def test_cyrillic_lookalike_of_a_platform_is_not_that_platform() -> None:
    check = check_url("https://www.f\u0430cebook.com/someone")
    assert check.platform != "Facebook"
    assert FLAG_IDN in check.flags


def test_punycode_host_is_flagged_and_decoded_for_the_script_check() -> None:
    check = check_url("https://xn--pple-43d.com/")  # punycode of the Cyrillic аpple.com
    assert FLAG_IDN in check.flags
    assert FLAG_MIXED_SCRIPTS in check.flags
    assert check.host == "xn--pple-43d.com"


def test_a_wholly_foreign_script_host_is_flagged_but_not_as_mixed() -> None:
    check = check_url("https://пример.рф/")
    assert check.valid
    assert FLAG_IDN in check.flags
    assert FLAG_MIXED_SCRIPTS not in check.flags


def test_userinfo_disguise_names_the_real_host() -> None:
    check = check_url("https://www.facebook.com@evil.example/login")
    assert FLAG_USERINFO in check.flags
    assert check.host == "evil.example"
    assert check.platform == "evil.example"


def test_backslash_disguise_names_the_host_a_browser_would_visit() -> None:
    check = check_url("https://evil.example\\@www.facebook.com/")
    assert not check.valid
    assert FLAG_BACKSLASH in check.flags
    assert check.host == "evil.example"
    assert check.platform != "Facebook"


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("https://", FLAG_NO_HOST),
        ("http:/facebook.com", FLAG_NO_HOST),
        ("https://exa mple.com/", FLAG_SPACES),
        ("https://example.com/a\tb", FLAG_CONTROL),
        ("https://example.com/\u202egpj.exe", FLAG_INVISIBLE),
        ("https://example.com:99999/", FLAG_BAD_PORT),
    ],
)
def test_malformed_web_addresses_are_invalid_but_kept(text: str, flag: str) -> None:
    check = check_url(text)
    assert not check.valid
    assert check.text == text
    assert flag in check.flags


def test_numeric_hosts_are_flagged() -> None:
    for text in ("http://192.0.2.7/x", "http://[2001:db8::1]:8080/", "http://0x7f.1/"):
        assert FLAG_IP_HOST in check_url(text).flags


@given(st.text(max_size=300))
def test_any_text_is_checked_without_error_and_kept_verbatim(text: str) -> None:
    check = check_url(text)
    assert check.text == text
    assert all(isinstance(flag, str) and flag for flag in check.flags)
    assert check.valid is False or check.host is not None


@pytest.mark.parametrize(
    ("url", "account"),
    [
        ("https://x.com/Some_One", "@Some_One"),
        ("https://twitter.com/some_one/status/1234567890", "@some_one"),
        ("https://www.instagram.com/some.one/", "@some.one"),
        ("https://www.instagram.com/stories/some.one/3141592653/", "@some.one"),
        ("https://www.tiktok.com/@some.one/video/7300000000000000000", "@some.one"),
        ("https://www.youtube.com/@SomeOne", "@SomeOne"),
        ("https://www.youtube.com/channel/UCabcdef", "UCabcdef"),
        ("https://www.facebook.com/some.one.123", "some.one.123"),
        ("https://m.facebook.com/profile.php?id=100012345678", "100012345678"),
        ("https://www.threads.net/@some.one", "@some.one"),
        ("https://bsky.app/profile/someone.bsky.social/post/3k", "someone.bsky.social"),
        ("https://www.linkedin.com/in/some-one-123/", "some-one-123"),
        ("https://www.reddit.com/user/someone/comments", "u/someone"),
        ("https://t.me/someone_here", "@someone_here"),
        ("https://www.twitch.tv/someone", "someone"),
        ("https://www.snapchat.com/add/someone", "someone"),
        ("https://www.roblox.com/users/12345/profile", "12345"),
    ],
)
def test_obvious_profile_addresses_give_the_account(url: str, account: str) -> None:
    assert guess_account(url) == account


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/home",
        "https://x.com/i/web/status/123",
        "https://x.com/search?q=teacher",
        "https://www.instagram.com/p/Cxyz123/",
        "https://www.instagram.com/reel/Cxyz123/",
        "https://www.instagram.com/explore/tags/school/",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/abc",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.facebook.com/groups/123456/posts/789",
        "https://www.facebook.com/watch/?v=1",
        "https://www.facebook.com/photo.php?fbid=1",
        "https://www.facebook.com/profile.php",
        "https://www.facebook.com/share/p/abc/",
        "https://www.tiktok.com/foryou",
        "https://vm.tiktok.com/ZMabc/",
        "https://www.reddit.com/r/teachers/",
        "https://t.me/joinchat/abcdef",
        "https://mail.google.com/mail/u/0/",
        "https://example.com/someone",
        "https://x.com/",
        "javascript:alert(1)",
        "",
    ],
)
def test_page_words_are_never_returned_as_accounts(url: str) -> None:
    assert guess_account(url) is None
