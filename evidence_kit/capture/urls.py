"""Web addresses as evidence: kept exactly as given, checked, and explained.

An address is never dropped, trimmed or "fixed": what the user pasted is what the
record keeps. :func:`check_url` only adds what a reader needs to judge it: whether
it is a well-formed web address, warnings worth a second look, the host, and the
platform it belongs to.

The host is found the way a browser would find it (a backslash counts as a slash,
``user@`` is not the host), because that is where the page really came from, and
a disguised address must not be attributed to the site it imitates.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

MAX_SENSIBLE_LENGTH = 2048
"""Longer addresses exist, but are rare enough in evidence to deserve a look."""

FLAG_EMPTY = "empty"
FLAG_NOT_WEB = "not a web address"
FLAG_JAVASCRIPT = "javascript: address"
FLAG_DATA = "data: address (the content is inside the address itself, not on a site)"
FLAG_FILE = "file: address (a file on a computer, not a web page)"
FLAG_NO_SCHEME = "no http:// or https:// at the start"
FLAG_NO_HOST = "no site name (host) in the address"
FLAG_SPACES = "contains spaces"
FLAG_SURROUNDING_SPACE = "spaces or line breaks before or after the address"
FLAG_CONTROL = "contains control characters"
FLAG_VERY_LONG = "very long"
FLAG_IDN = (
    "internationalised host name (check it is the site you think: look-alike letters "
    "are possible)"
)
FLAG_MIXED_SCRIPTS = "host name mixes letters from different alphabets"
FLAG_USERINFO = "text before an @ in the site name (the real site is the part after the @)"
FLAG_BACKSLASH = "contains a backslash (browsers read it as /)"
FLAG_IP_HOST = "the site is a numeric (IP) address"
FLAG_BAD_PORT = "the port number is not valid"
FLAG_BAD_HOST = "the site name contains characters that cannot be in one"
FLAG_INVISIBLE = "contains invisible characters (they can make text look different from what it is)"


@dataclass(frozen=True)
class Platform:
    name: str
    domains: tuple[str, ...]


PLATFORMS: tuple[Platform, ...] = (
    Platform("Facebook", ("facebook.com", "fb.com", "fb.me", "fb.watch", "facebook.net")),
    Platform("Messenger", ("messenger.com", "m.me")),
    Platform("Instagram", ("instagram.com", "instagr.am", "ig.me")),
    Platform("X (Twitter)", ("x.com", "twitter.com", "t.co", "twimg.com")),
    Platform("TikTok", ("tiktok.com",)),
    Platform("Snapchat", ("snapchat.com", "snap.com")),
    Platform("WhatsApp Web", ("web.whatsapp.com",)),
    Platform("WhatsApp", ("whatsapp.com", "wa.me", "chat.whatsapp.com")),
    Platform("YouTube", ("youtube.com", "youtu.be", "youtube-nocookie.com")),
    Platform("LinkedIn", ("linkedin.com", "lnkd.in")),
    Platform("Reddit", ("reddit.com", "redd.it")),
    Platform("Discord", ("discord.com", "discord.gg", "discordapp.com")),
    Platform("Telegram", ("t.me", "telegram.me", "telegram.org")),
    Platform("Threads", ("threads.net", "threads.com")),
    Platform("Bluesky", ("bsky.app", "bsky.social")),
    Platform("Twitch", ("twitch.tv",)),
    Platform("Roblox", ("roblox.com",)),
    Platform("Minecraft", ("minecraft.net",)),
    Platform(
        "Minecraft community",
        ("minecraftforum.net", "planetminecraft.com", "minecraft.fandom.com", "curseforge.com"),
    ),
    Platform("Gmail", ("mail.google.com", "gmail.com")),
    Platform(
        "Outlook web mail",
        ("outlook.live.com", "outlook.office.com", "outlook.office365.com", "outlook.com"),
    ),
    Platform("ClassDojo", ("classdojo.com",)),
    Platform("Google Classroom", ("classroom.google.com",)),
    Platform("Microsoft Teams", ("teams.microsoft.com", "teams.live.com", "teams.cloud.microsoft")),
)

_DOMAIN_TO_PLATFORM: dict[str, str] = {
    domain: platform.name for platform in PLATFORMS for domain in platform.domains
}

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Text people copy from an app's share sheet often lacks the scheme; still worth a host.
_BARE_HOST = re.compile(r"^(?:www\.)?[^\s/:@\\]+\.[A-Za-z]{2,63}(?:[/?#]|$)")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class UrlCheck:
    text: str
    """Exactly what was given, never altered."""
    valid: bool
    """True for a well-formed http/https address with a host."""
    flags: tuple[str, ...]
    """Plain-words warnings; a valid address may still carry some."""
    host: str | None
    """The host a browser would contact, lower-cased, in Unicode when it was given so."""
    platform: str | None
    """A known platform's name, else the host itself, else None."""

    def to_record(self) -> dict[str, object]:
        return {
            "text": self.text,
            "valid": self.valid,
            "flags": list(self.flags),
            "host": self.host,
            "platform": self.platform,
        }


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    try:
        return unicodedata.name(char).split(" ")[0]
    except ValueError:
        return "UNKNOWN"


def _decode_punycode_label(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return label
    return label


def _host_flags(host: str) -> list[str]:
    flags: list[str] = []
    labels = host.split(".")
    unicode_labels = [_decode_punycode_label(label) for label in labels]
    if not host.isascii() or any(label.startswith("xn--") for label in labels):
        flags.append(FLAG_IDN)
    for label in unicode_labels:
        scripts = {s for s in map(_script, label) if s is not None}
        if len(scripts) > 1:
            flags.append(FLAG_MIXED_SCRIPTS)
            break
    for label in labels:
        if label.isascii():
            ok = bool(_HOST_LABEL.match(label))
        else:
            ok = all(c.isalnum() or c in "-_" for c in label)
        if not ok:
            flags.append(FLAG_BAD_HOST)
            break
    return flags


def _ip_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        # Browsers also accept forms like 0x7f.1 or a bare integer as IPv4.
        return bool(re.fullmatch(r"(0x[0-9a-f]+|\d+)(\.(0x[0-9a-f]+|\d+)){0,3}", host))
    return True


def _platform_for(host: str, path: str) -> str:
    parts = host.removeprefix("www.").split(".")
    # Longest matching suffix wins, so mail.google.com is Gmail, not just google.com.
    for start in range(len(parts)):
        name = _DOMAIN_TO_PLATFORM.get(".".join(parts[start:]))
        if name is not None:
            if name == "Facebook" and path.lower().startswith("/messages"):
                return "Messenger"
            return name
    return host


def _split_authority(text: str) -> tuple[str | None, str, bool, bool]:
    """(host, path, had_userinfo, bad_port) of an address that has a scheme."""
    # WHATWG URL parsing turns backslashes into slashes for web schemes; urlsplit does
    # not, and would otherwise report the host of https://evil.example\@facebook.com
    # as facebook.com.
    parts = urlsplit(text.replace("\\", "/"))
    had_userinfo = "@" in parts.netloc
    bad_port = False
    try:
        parts.port  # noqa: B018 - reading it is how urlsplit validates the port
    except ValueError:
        bad_port = True
    host = parts.hostname
    if host is not None:
        host = host.rstrip(".")
    return host or None, parts.path, had_userinfo, bad_port


def check_url(text: str) -> UrlCheck:
    """Check an address for the record; never raises for any text."""
    flags: list[str] = []
    if text.strip() == "":
        return UrlCheck(text, False, (FLAG_EMPTY,), None, None)
    core = text.strip()
    if core != text:
        flags.append(FLAG_SURROUNDING_SPACE)
    if len(text) > MAX_SENSIBLE_LENGTH:
        flags.append(FLAG_VERY_LONG)
    if any(unicodedata.category(c) == "Cc" for c in core):
        flags.append(FLAG_CONTROL)
    if any(unicodedata.category(c) == "Cf" for c in text):
        flags.append(FLAG_INVISIBLE)
    if any(c.isspace() for c in core):
        flags.append(FLAG_SPACES)
    if "\\" in core:
        flags.append(FLAG_BACKSLASH)

    scheme_match = _SCHEME.match(core)
    scheme = scheme_match.group(1).lower() if scheme_match else None
    host: str | None = None
    path = ""
    web = False
    if scheme in ("http", "https"):
        web = True
        host, path, had_userinfo, bad_port = _split_authority(core)
        if had_userinfo:
            flags.append(FLAG_USERINFO)
        if bad_port:
            flags.append(FLAG_BAD_PORT)
    elif scheme is None and _BARE_HOST.match(core):
        flags.append(FLAG_NO_SCHEME)
        host, path, _, _ = _split_authority("http://" + core)
    else:
        flags.append(FLAG_NOT_WEB)
        if scheme == "javascript":
            flags.append(FLAG_JAVASCRIPT)
        elif scheme == "data":
            flags.append(FLAG_DATA)
        elif scheme == "file":
            flags.append(FLAG_FILE)

    if web and host is None:
        flags.append(FLAG_NO_HOST)
    host_ok = host is not None
    if host is not None:
        if _ip_host(host) or ":" in host:
            flags.append(FLAG_IP_HOST)
        else:
            host_flags = _host_flags(host)
            flags.extend(host_flags)
            host_ok = FLAG_BAD_HOST not in host_flags

    valid = (
        web
        and host_ok
        and not any(
            flag in flags
            for flag in (FLAG_CONTROL, FLAG_INVISIBLE, FLAG_SPACES, FLAG_BACKSLASH, FLAG_BAD_PORT)
        )
    )
    platform = _platform_for(host, path) if host is not None else None
    return UrlCheck(text, valid, tuple(dict.fromkeys(flags)), host, platform)


# Path words that are pages of the platform, not people; a guess must never return them.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RESERVED: dict[str, frozenset[str]] = {
    "X (Twitter)": _words(
        "home explore notifications messages i search settings compose intent share "
        "hashtag login logout signup tos privacy jobs about download account lists "
        "bookmarks communities premium status"
    ),
    "Instagram": _words(
        "p reel reels stories explore accounts direct tv about developer legal web "
        "challenge emails session press api graphql"
    ),
    "Facebook": _words(
        "profile.php groups pages events photo photo.php photos watch story.php "
        "permalink.php marketplace messages share sharer sharer.php login login.php help "
        "settings reel reels hashtag notifications friends search gaming people "
        "home.php video.php videos privacy policies ads business l.php dialog plugins "
        "stories fundraisers bookmarks saved memories"
    ),
    "Twitch": _words(
        "videos directory settings p downloads jobs turbo search subscriptions "
        "inventory wallet drops prime login signup"
    ),
    "Telegram": _words("joinchat s share addstickers addemoji proxy socks login"),
}

_HANDLE = {
    "X (Twitter)": re.compile(r"^[A-Za-z0-9_]{1,15}$"),
    "Instagram": re.compile(r"^[A-Za-z0-9._]{1,30}$"),
    "TikTok": re.compile(r"^@[A-Za-z0-9._]{1,24}$"),
    "Threads": re.compile(r"^@[A-Za-z0-9._]{1,30}$"),
    "Facebook": re.compile(r"^[A-Za-z0-9.]{5,50}$"),
    "Twitch": re.compile(r"^[A-Za-z0-9_]{3,25}$"),
    "Telegram": re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$"),
    "YouTube": re.compile(r"^@[A-Za-z0-9._\-]{3,30}$"),
}


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def guess_account(url: str) -> str | None:
    """The account an obvious profile or post address belongs to, else None.

    Only unambiguous shapes are recognised (x.com/handle, instagram.com/handle,
    tiktok.com/@handle, youtube.com/@handle …); a guess is a suggestion for the
    user to confirm, so it is better to offer nothing than a wrong name.
    """
    check = check_url(url)
    if check.host is None or check.platform is None:
        return None
    text = url.strip().replace("\\", "/")
    parts = urlsplit(text if _SCHEME.match(text) else "https://" + text)
    segments = _segments(parts.path)
    platform = check.platform
    if not segments:
        return None
    first = segments[0]
    if platform == "Instagram" and first == "stories" and len(segments) >= 2:
        first = segments[1]
    handle = _HANDLE.get(platform)
    if platform in ("X (Twitter)", "Instagram", "Twitch", "Telegram"):
        if first.lower() in _RESERVED[platform] or handle is None or not handle.match(first):
            return None
        if check.host in ("t.co", "instagr.am", "ig.me"):
            return None  # short links name a post, not a person
        return first if platform == "Twitch" else "@" + first
    if platform in ("TikTok", "Threads", "YouTube"):
        if handle is not None and handle.match(first):
            return first
        if platform == "YouTube" and len(segments) >= 2 and first in ("c", "user", "channel"):
            return segments[1]
        return None
    if platform == "Facebook":
        if first == "profile.php":
            ids = parse_qs(parts.query).get("id", [])
            return ids[0] if ids and ids[0].isdigit() else None
        if first == "people" and len(segments) >= 3 and segments[2].isdigit():
            return segments[2]
        if first.lower() in _RESERVED["Facebook"] or handle is None or not handle.match(first):
            return None
        return first
    if platform == "Bluesky" and len(segments) >= 2 and first == "profile":
        return segments[1]
    if platform == "LinkedIn" and len(segments) >= 2 and first == "in":
        return segments[1]
    if platform == "Reddit" and len(segments) >= 2 and first in ("user", "u"):
        return "u/" + segments[1]
    if platform == "Snapchat" and len(segments) >= 2 and first == "add":
        return segments[1]
    if platform == "Roblox" and len(segments) >= 2 and first == "users" and segments[1].isdigit():
        return segments[1]
    return None
