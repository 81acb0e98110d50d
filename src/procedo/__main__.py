"""Allow ``python -m procedo``."""

from procedo.cli import main

if __name__ == "__main__":
    main()
