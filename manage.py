#!/usr/bin/env python
from carecommons.cli import main

if __name__ == "__main__":
    main()
