"""Getting evidence in: screen grabs, imported files, URLs, categories, the stop path.

Everything here is Qt-free and never touches the vault: each module turns what the
user has (a screen, a file's bytes, a pasted address) into frozen, JSON-able facts
that the core records. Import the submodules directly; this package imports nothing
so that loading one part never pays for another (mss, Pillow, pypdf).
"""
