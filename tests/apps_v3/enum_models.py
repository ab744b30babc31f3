"""Models named by an Enum."""
from enum import Enum

from openai import OpenAI

client = OpenAI()


class Model(str, Enum):
    STANDARD = "sora-2"
    PRO = "sora-2-Pro"


client.videos.create(model=Model.STANDARD, prompt="a lake", seconds="8")
client.videos.create(model=Model.PRO.value, prompt="a lake at night", seconds="12")  # expect: SOR005
