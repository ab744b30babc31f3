"""The profile name that means "choose the profile per call, from the client's base_url".

Apart from the catalog: the settings of a run name it, and a run that checks no Sora call should not
pay for reading the catalog (its JSON and dataclasses are ~12 ms of start-up).
"""
AUTO = "auto"
