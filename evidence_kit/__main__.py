from evidence_kit.cli import main

raise SystemExit(main())
