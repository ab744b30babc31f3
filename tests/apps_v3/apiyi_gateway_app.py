"""An app on the APIYI gateway, whose contract wants seconds as an int."""
from openai import OpenAI

client = OpenAI(base_url="https://api.apiyi.com/v1", api_key="sk-test")


def render(prompt: str, seconds: int):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=seconds)


def render_cast(prompt, raw):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=int(raw))


def render_text(prompt, n):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=str(n))  # expect: SOR002
