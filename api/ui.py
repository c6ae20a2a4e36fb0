"""The Gradio web UI mounted at `/ui`. Each tab calls the same services as the HTTP API."""

from __future__ import annotations

import json
from typing import Any

import gradio as gr
from fastapi import FastAPI

from api.auth import AuthError, Principal, decode_token
from api.services import Services
from store import repository
from store.db import transaction


def build_ui(app: FastAPI) -> gr.Blocks:
    def services() -> Services:
        s: Services = app.state.services
        return s

    def sign_in(token: str) -> tuple[str, Principal | None]:
        try:
            principal = decode_token(token.strip(), secret=services().settings.secret_key)
        except AuthError as e:
            return f"Sign-in failed: {e}. Get a token with `advisor token --user-id ID --role user`.", None
        return f"Signed in as **{principal.user_id}** ({principal.role}).", principal

    def show_profile(principal: Principal | None) -> str:
        if principal is None:
            return "Sign in first."
        with transaction(services().sessions) as session:
            profile = repository.profile_to_dict(repository.ensure_user(session, principal.user_id))
        shown: dict[str, Any] = {k: v for k, v in profile.items() if v not in (None, {}, [])}
        return "```json\n" + json.dumps(shown, ensure_ascii=False, indent=2) + "\n```"

    blocks: gr.Blocks
    with gr.Blocks(title="advisor") as blocks:
        gr.Markdown("# advisor\nCourses, insurance and finance advice. Paste your access token to begin.")
        principal_state = gr.State(None)
        with gr.Row():
            token = gr.Textbox(label="Access token", type="password", scale=4)
            sign_in_button = gr.Button("Sign in", scale=1)
        status = gr.Markdown()
        with gr.Tab("My profile"):
            profile_button = gr.Button("Show my profile")
            profile_view = gr.Markdown()
        sign_in_button.click(sign_in, inputs=token, outputs=[status, principal_state])
        profile_button.click(show_profile, inputs=principal_state, outputs=profile_view)
    return blocks
