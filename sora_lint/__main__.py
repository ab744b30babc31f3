from .frontends.cli import entry

if __name__ == "__main__":  # not when a spawned process (the language server's big lints) imports it
    entry()
