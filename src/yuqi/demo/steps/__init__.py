"""The demo's build steps, one module per bounded context, run in order by
:func:`yuqi.demo.builder.build_demo`.

A step calls its context's services and facades; where a context has no service for what the
demo writes (backdated history in bulk), the step says so in its docstring.
"""
