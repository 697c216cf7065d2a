"""The framework's ceiling: a bare Flask JSON "hello", served like briefing."""

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}
