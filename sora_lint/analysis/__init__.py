"""Where the Sora calls are in a module, and what their arguments resolve to.

- :mod:`.shapes`: the registry of call shapes (and the prefilter's words, derived from it);
- :mod:`.prefilter`: the text test that decides whether a file is parsed at all;
- :mod:`.walk` and :mod:`.binders`: the one walk over the tree, filling :mod:`.scopes`;
- :mod:`.values`: what a name, a dict, a table or a conversion resolves to; :mod:`.project`: constants
  of other files of the project; :mod:`.arguments`: an argument's possible values and a call's variants;
- :mod:`.sdk` and :mod:`.http`: the readers of SDK calls, library functions and raw requests;
- :mod:`.find`: the entry, which builds the :mod:`.facts` records the rules read;
- :mod:`.positions`: offsets of the reported nodes only.
"""
