"""Helpers whose annotations say what they pass on."""
from openai import OpenAI

client = OpenAI()


def make_video(prompt: str, seconds: int):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=seconds)  # expect: SOR002


def make_video_right(prompt: str, seconds: str):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=seconds)


def from_request(prompt, raw):
    kwargs = dict(model="sora-2", prompt=prompt, seconds=int(raw))  # expect: SOR002
    return client.videos.create(**kwargs)


def from_request_right(prompt, raw):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=str(raw))
