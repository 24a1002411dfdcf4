# Jupyter Server settings for Binder (binder/postBuild copies this file to ~/.jupyter/).
#
# A chapter opens unmodified. A chapter file holds no `language_info` (it would tie the chapter to one Python
# version), and JupyterLab marks a notebook that has none as changed as soon as it opens it: it adds a blank
# `language_info`, then the kernel's own when the kernel starts. So the chapters are read with the
# `language_info` that their kernel reports, asked once from the kernel's Python; Jupytext leaves
# `language_info` out when it saves a chapter, so a save still writes the file byte for byte as it was.
import functools
import json
import subprocess

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

ASK = "import json; from ipykernel.ipkernel import IPythonKernel; print(json.dumps(IPythonKernel.language_info))"


@functools.lru_cache(maxsize=None)
def kernel_language_info(kernel_name):
    """The `language_info` an IPython kernel reports, from the kernel's own Python; None if it cannot be asked."""
    try:
        python = KernelSpecManager().get_kernel_spec(kernel_name).argv[0]
        done = subprocess.run([python, "-c", ASK], capture_output=True, text=True, timeout=60, check=True)
        return json.loads(done.stdout)
    except Exception:  # not an IPython kernel, or no such kernel: JupyterLab fills it in, as without this file
        return None


class ChapterContentsManager(build_async_jupytext_contents_manager_class(AsyncLargeFileManager)):
    """Jupytext's contents manager, which also gives a notebook read without `language_info` its kernel's."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and model.get("content"):
            metadata = model["content"].setdefault("metadata", {})
            kernel = metadata.get("kernelspec", {}).get("name")
            if "language_info" not in metadata and kernel and kernel_language_info(kernel):
                metadata["language_info"] = dict(kernel_language_info(kernel))
        return model


c.ServerApp.contents_manager_class = ChapterContentsManager  # noqa: F821 (c: the configuration Jupyter passes in)
