"""A service object that keeps its client and settings on self."""
from openai import OpenAI


class SoraService:
    def __init__(self):
        self.client = OpenAI()
        self.duration = 4  # expect: SOR002
        self.size = "1280x720"

    def render(self, prompt):
        return self.client.videos.create(prompt=prompt, model="sora-2", seconds=self.duration, size=self.size)
