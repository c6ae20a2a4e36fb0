"""HTTP, web UI and command line: the only package that knows FastAPI, Gradio and Typer."""
