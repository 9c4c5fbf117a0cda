from .cli import main

if __name__ == "__main__":  # worker processes import this module too; only the real entry point runs the CLI
    main(prog_name="textmine")
