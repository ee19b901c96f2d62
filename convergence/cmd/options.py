"""What the console scripts share beyond convergence/startup.py."""

import os


def ensure_sqlite_dir(url: str) -> None:
    """The embedded default keeps its SQLite file in a directory we create."""
    if url.startswith('sqlite:///') and not url.startswith('sqlite:///:memory:'):
        directory = os.path.dirname(url[len('sqlite:///'):])
        if directory:
            os.makedirs(directory, exist_ok=True)
