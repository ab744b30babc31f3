"""Settings from pydantic, with defaults a caller may leave out."""
from typing import Optional

from openai import OpenAI
from pydantic import BaseModel

client = OpenAI()


class VideoSettings(BaseModel):
    model: str = "sora-2"
    size: str = "1792x1024"  # expect: SOR003
    seconds: str = "8"


def generate(prompt: str, settings: Optional[VideoSettings] = None):
    settings = settings or VideoSettings()
    return client.videos.create_and_poll(model=settings.model, prompt=prompt, size=settings.size,
                                         seconds=settings.seconds)
