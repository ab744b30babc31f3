"""A small gateway client that talks HTTP to the videos API in several ways."""
import json
import os
import urllib.request
from urllib.parse import urljoin

import httpx
import requests

API = os.environ.get("OPENAI_API_BASE", "https://api.openai.com")
KEY = os.environ.get("OPENAI_API_KEY", "")
HEADERS = {"Authorization": f"Bearer {KEY}"}


def build_payload(prompt, seconds="8", size="720x1280"):
    return {"model": "sora-2", "prompt": prompt, "seconds": seconds, "size": size}


def create_json(prompt):
    # valid: the builder's defaults
    return requests.post(f"{API}/v1/videos", json=build_payload(prompt), headers=HEADERS)


def create_long(prompt):
    url = f"{API}/v1/videos"
    return requests.post(url, json=build_payload(prompt, seconds="10"), headers=HEADERS)  # expect: SOR001


def create_form(prompt, image):
    # valid: multipart with a reference image
    return httpx.post(API + "/v1/videos", data={"model": "sora-2", "prompt": prompt, "seconds": "4"},
                      files={"input_reference": image}, headers=HEADERS)


def create_multipart(prompt):
    return requests.post(
        urljoin(API, "/v1/videos"),
        files={"model": (None, "sora-2"), "prompt": (None, prompt), "size": (None, "1080x1920")},  # expect: SOR003
        headers=HEADERS,
    )


def create_raw(prompt):
    body = json.dumps({"model": "sora-2-pro", "prompt": prompt, "seconds": "12"})  # valid
    return httpx.post(f"{API}/v1/videos", content=body, headers=HEADERS)


def create_urllib(prompt):
    payload = {"model": "sora-2", "prompt": prompt, "seconds": "6"}  # expect: SOR001
    request = urllib.request.Request(f"{API}/v1/videos", data=json.dumps(payload).encode(), headers=HEADERS)
    return urllib.request.urlopen(request)


def remix(video_id):
    return requests.post(f"{API}/v1/videos/{video_id}/remix", json={"prompt": ""}, headers=HEADERS)  # expect: SOR007


def upload_to_vimeo(path):
    # not Sora: another API's upload with its own fields
    with open(path, "rb") as handle:
        return requests.post("https://api.vimeo.com/me/videos", files={"file_data": handle},
                             data={"name": "clip", "size": "1792x1024", "seconds": "10"})
