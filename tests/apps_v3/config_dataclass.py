"""Shots described by a dataclass, rendered by one function."""
from dataclasses import dataclass

from openai import OpenAI

client = OpenAI()


@dataclass
class Shot:
    prompt: str
    seconds: str = "10"  # expect: SOR001
    size: str = "1280x720"


def render(shot: Shot):
    return client.videos.create(model="sora-2", prompt=shot.prompt, seconds=shot.seconds, size=shot.size)


render(Shot("a quiet harbour"))
render(Shot("a busy street", seconds="8", size="720x1280"))
render(Shot("a mountain", "12"))
