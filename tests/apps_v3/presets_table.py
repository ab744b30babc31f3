"""Aspect ratios mapped to sizes, picked by the user's choice."""
import random

from openai import OpenAI

client = OpenAI()
SIZES = {"16:9": "1280x720", "9:16": "720x1280", "1:1": "1024x1024"}  # expect: SOR003
DURATIONS = ["4", "8", "12"]


def render(prompt, aspect):
    size = SIZES.get(aspect, "720x1280")
    return client.videos.create(model="sora-2", prompt=prompt, size=size)


def surprise(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=random.choice(["5", "8"]))  # expect: SOR001


def all_lengths(prompt):
    for seconds in DURATIONS:
        client.videos.create(model="sora-2", prompt=prompt, seconds=seconds)
