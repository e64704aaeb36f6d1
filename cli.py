"""``python cli.py ...`` does what the installed ``ibis-models`` command does."""

from ibis_models.cli import app

if __name__ == "__main__":
    app()
