import sys

from chalicelib.local.server import main

sys.exit(main())
