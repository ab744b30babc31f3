"""A Django app that stores videos and also calls Sora."""
import openai
from django.db import models


class Video(models.Model):
    seconds = models.IntegerField(default=10)


def save(project, prompt):
    Video.objects.create(seconds=10)
    project.videos.create(seconds=10, title=prompt)
    return openai.OpenAI().videos.create(model="sora-2", prompt=prompt, seconds="8")
