"""Files and folders the server writes are its own user's only: 0600 files, 0700 folders, whatever the umask.

The database holds password and token hashes, the attachments are companies' documents, the signing key signs
official certificates: none is for other accounts on the machine. Modes are set where each is made (a umask
only takes bits away, and the one a service starts with is not ours to trust), and a file an older version left
readable by others is tightened when the server opens it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Make ``path`` and any missing parents as folders only this user can enter (existing ones left as they are)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # another worker made it first, with this same code
        os.chmod(folder, DIR_MODE)  # the umask may have taken bits away; never more than DIR_MODE
    return path


def open_private(path: Path, flags: int) -> int:
    """``os.open`` creating the file, if it does not exist, with FILE_MODE exactly; returns the descriptor."""
    descriptor = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(descriptor).st_mode) & ~FILE_MODE:
            os.fchmod(descriptor, FILE_MODE)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists as a file only this user can read (made empty if missing, else tightened)."""
    os.close(open_private(path, os.O_WRONLY | os.O_APPEND))
    return path


def tighten(path: Path) -> None:
    """Take group's and others' access away from a file or folder this user owns (a no-op when it is missing)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & ~wanted:
        os.chmod(path, stat.S_IMODE(info.st_mode) & wanted)
