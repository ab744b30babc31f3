"""A small video app that still calls OpenAI's own server: 20 Sora calls, as most public Sora code is.

Issue 20's check by hand: `sora-lint check tests/apps/studio.py` fits one screen per 10 problems, and
every count on it agrees (tests/test_summary.py asserts the exact output).
"""
import asyncio

import openai
import requests
from openai import AsyncOpenAI, OpenAI

client = OpenAI()
background = AsyncOpenAI()
HEADERS = {"Authorization": "Bearer sk-test"}


def trailer(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, seconds="8")


def teaser(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, seconds="4", size="720x1280")


def banner(prompt):
    return client.videos.create(model="sora-2-pro", prompt=prompt, seconds="12", size="1792x1024")


def loop(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, seconds=10)


def story(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, seconds="12", size="1280x720")


def wide(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, size="1792x1024")


def extend(video_id):
    return client.videos.extend(video=video_id, prompt="more", seconds="8")


def portrait(prompt):
    return client.videos.create_and_poll(model="sora-2", prompt=prompt, size="720x1280")


def square(prompt):
    params = {"model": "sora2", "prompt": prompt, "seconds": "16"}
    return client.videos.create(**params)


def short(prompt):
    return client.videos.create(model="sora-2", prompt=prompt, seconds="4")


def again(prompt):
    return client.videos.create_and_poll(model="sora-2", prompt=prompt, seconds="8")


def hd(prompt):
    return client.videos.create(model="sora-2-pro", prompt=prompt, seconds="8", size="1024x1792")


async def nightly(prompts):
    await background.videos.create(model="sora-2", prompt=prompts[0], seconds="8")
    await background.videos.create(model="sora-2", prompt=prompts[1], seconds="4")
    await background.videos.create(model="sora-2-pro", prompt=prompts[2], seconds="12")
    await background.videos.create(model="sora-2", prompt=prompts[3], seconds="20")


def legacy(prompt):
    openai.videos.create(model="sora-2", prompt=prompt, seconds="8")
    return openai.videos.create(model="sora-2", prompt=prompt, seconds="4")


def raw(prompt):
    body = {"model": "sora-2", "prompt": prompt, "seconds": "8"}
    requests.post("https://api.openai.com/v1/videos", json=body, headers=HEADERS, timeout=30)
    return requests.post("https://api.openai.com/v1/videos", json={"model": "sora-2", "prompt": prompt},
                         headers=HEADERS, timeout=30)


if __name__ == "__main__":
    asyncio.run(nightly(["a", "b", "c", "d"]))
