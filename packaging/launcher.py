"""Entry point of the frozen app: the same ``evidence-kit`` command as the installed one."""

from evidence_kit.cli import main

raise SystemExit(main())
