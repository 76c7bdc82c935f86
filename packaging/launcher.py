"""Entry point of the frozen app: the same ``evidence-kit`` command as the installed one."""

from evidence_kit.__main__ import main

raise SystemExit(main())
