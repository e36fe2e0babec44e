"""The archive format: a .tar.gz whose manifest.json (written last) lists every other member with its sha256 and
size. Nothing here knows about databases."""
import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from pathlib import Path, PurePosixPath

FORMAT = "honours-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TOP_LEVEL = ("database", "uploads")
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class ArchiveError(Exception):
    """The archive is damaged, altered or not a backup made by `flask backup`."""


class _HashingReader:
    """What tarfile reads from the source is exactly what the manifest describes, even if the file changes."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.digest.update(data)
        return data


class ArchiveWriter:
    def __init__(self, path: Path):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data inside
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w:gz", format=tarfile.PAX_FORMAT)
        self.files: list[dict] = []

    def add_file(self, source: Path, name: str) -> None:
        with open(source, "rb") as raw:
            stat = os.fstat(raw.fileno())
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
            reader = _HashingReader(raw)
            self._tar.addfile(info, reader)
        self.files.append({"path": name, "sha256": reader.digest.hexdigest(), "size": info.size})

    def finish(self, manifest: dict) -> dict:
        """Write manifest.json (with the file list) as the last member and close; returns the full manifest."""
        manifest = {**manifest, "files": self.files}
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self._tar.addfile(info, io.BytesIO(data))
        self.close()
        return manifest

    def close(self) -> None:
        if self._file.closed:
            return
        self._tar.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()


def _member_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveError(f"unsafe path in the archive: {member.name!r}")
    name = path.as_posix()
    if name != MANIFEST and path.parts[0] not in TOP_LEVEL:
        raise ArchiveError(f"unexpected entry in the archive: {member.name!r}")
    return name


def _extract_member(source, destination: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        out = open(destination, "xb")
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        raise ArchiveError(f"conflicting paths in the archive: {destination.name!r}") from None
    with out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def extract_verified(archive: Path, target: Path) -> dict:
    """Extract `archive` into the empty folder `target`, checking every member against the manifest; returns the
    manifest. Raises ArchiveError on any damage, alteration, missing or extra file."""
    found: dict[str, tuple[str, int]] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = _member_name(member)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise ArchiveError(f"links and special files are not allowed: {member.name!r}")
                if name in found or (name == MANIFEST and manifest_bytes is not None):
                    raise ArchiveError(f"the archive holds {name!r} twice")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise ArchiveError("manifest.json is implausibly large")
                    manifest_bytes = source.read()
                    continue
                found[name] = _extract_member(source, target / name)
            # Read on to the end of the gzip stream, so its CRC (which also covers manifest.json) is checked.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ArchiveError(f"the file is damaged or is not a .tar.gz backup ({error})") from None
    if manifest_bytes is None:
        raise ArchiveError("manifest.json is missing: not a backup made by `flask backup`, or an incomplete one")
    try:
        manifest = json.loads(manifest_bytes)
        listed = {entry["path"]: (entry["sha256"], int(entry["size"])) for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError) as error:
        raise ArchiveError(f"manifest.json is unreadable ({error})") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(f"unknown backup format {manifest.get('format')!r} "
                           f"version {manifest.get('format_version')!r}")
    problems = [f"missing from the archive: {name}" for name in sorted(listed.keys() - found.keys())]
    problems += [f"not in the manifest: {name}" for name in sorted(found.keys() - listed.keys())]
    problems += [f"checksum or size mismatch: {name}" for name in sorted(listed.keys() & found.keys())
                 if listed[name] != found[name]]
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        raise ArchiveError(f"the archive does not match its manifest: {shown}")
    return manifest
