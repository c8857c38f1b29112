"""Practice with a design: copy and change it, quiz yourself, compare with the reference, build it up on slides.

    >>> from mlsd_diagrams import load
    >>> from mlsd_diagrams.practice import check
    >>> report = check.compare(load("my_search.yaml"), load("visual_search"))   # doctest: +SKIP
    >>> print(report.text())                                                     # doctest: +SKIP

One module per idea: ``new`` (an editable copy), ``quiz`` (blanked labels),
``check`` (your design against the reference), ``reveal`` (frames that build a
diagram up), ``sheet`` (a one-page summary). ``frozen`` lays a diagram out once
for the pictures that must not move. Rendering is imported only when a
picture is drawn.
"""
