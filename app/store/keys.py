"""The key file beside the database: one random database key, wrapped per user by their passphrase.

The database cannot be opened before its key is known, so the wrapped keys live outside it, in
`<database>.keys` (JSON, written atomically). Each user's entry holds a scrypt salt and the database key
sealed with AES-256-GCM under the key derived from that user's passphrase; the login name and role are
the GCM associated data, so editing a role in the file makes that entry unusable instead of promoting
its user. Adding a user or changing a passphrase rewraps the one key; the database is never re-encrypted.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.domain.errors import DomainError

KEY_FILE_VERSION = 1
KEY_BYTES = 32
# scrypt cost: about 0.13 s and 32 MiB per derivation on the team laptops; stored per entry so it can grow.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
DEMO_LOGIN = "demo"
DEMO_PASSPHRASE = "demo"


class WrongPassphrase(DomainError):
    """The passphrase (or the login name) does not open this database."""


class KeyFileError(DomainError):
    """The key file is missing, unreadable or does not belong to this database."""


def key_path_for(db_path: Path) -> Path:
    """Return the key file that belongs to a database file."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".keys")


def normalise_login(login: str) -> str:
    """Return the login name as compared: trimmed, NFC, lower case."""
    return unicodedata.normalize("NFC", login.strip()).lower()


def _passphrase_bytes(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    """Derive a 256-bit wrapping key from a passphrase with scrypt."""
    return hashlib.scrypt(_passphrase_bytes(passphrase), salt=salt, n=n, r=r, p=p,
                          maxmem=128 * 1024 * 1024 + 128 * r * n * p, dklen=KEY_BYTES)


def _aad(login: str, role: str, file_id: str) -> bytes:
    return json.dumps([file_id, login, role], ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class KeyEntry:
    login: str
    role: str
    salt: str
    n: int
    r: int
    p: int
    nonce: str
    wrapped: str

    @classmethod
    def seal(cls, db_key: bytes, login: str, role: str, passphrase: str, file_id: str) -> "KeyEntry":
        """Wrap the database key for one user under their passphrase."""
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        wrapping = derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)  # the cost it records below
        wrapped = AESGCM(wrapping).encrypt(nonce, db_key, _aad(login, role, file_id))
        return cls(login, role, salt.hex(), SCRYPT_N, SCRYPT_R, SCRYPT_P, nonce.hex(), wrapped.hex())

    def open(self, passphrase: str, file_id: str) -> bytes | None:
        """Return the database key, or None when the passphrase (or the entry) is wrong."""
        try:
            wrapping = derive(passphrase, bytes.fromhex(self.salt), self.n, self.r, self.p)
            return AESGCM(wrapping).decrypt(bytes.fromhex(self.nonce), bytes.fromhex(self.wrapped),
                                            _aad(self.login, self.role, file_id))
        except (InvalidTag, ValueError):
            return None


@dataclass
class KeyFile:
    """The wrapped keys of one database."""

    path: Path
    file_id: str
    entries: list[KeyEntry]
    demo: bool = False

    # -- reading and writing -------------------------------------------------------------------
    @classmethod
    def exists(cls, db_path: Path) -> bool:
        return key_path_for(db_path).exists()

    @classmethod
    def load(cls, db_path: Path) -> "KeyFile":
        """Read the key file of a database; raise KeyFileError with a Dutch message when unusable."""
        path = key_path_for(db_path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != KEY_FILE_VERSION:
                raise ValueError(f"version {raw.get('version')!r}")
            entries = [KeyEntry(**entry) for entry in raw["users"]]
            return cls(path, str(raw["file_id"]), entries, bool(raw.get("demo", False)))
        except FileNotFoundError:
            raise KeyFileError(f"Het sleutelbestand {path.name} ontbreekt naast de database. Zonder dat bestand "
                               "kan de versleutelde database niet geopend worden; zet het terug uit de "
                               "back-up van de beheerder.") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise KeyFileError(f"Het sleutelbestand {path.name} is beschadigd of onleesbaar ({error}). Zet het "
                               "terug uit de back-up van de beheerder.") from None

    def save(self) -> None:
        """Write the key file atomically (temporary file, fsync, rename)."""
        data = {"version": KEY_FILE_VERSION, "file_id": self.file_id, "demo": self.demo,
                "users": [entry.__dict__ for entry in self.entries]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        try:
            os.chmod(self.path, 0o600)
        except OSError:
            pass
        _fsync_dir(self.path.parent)

    # -- the key and its users ----------------------------------------------------------------
    @classmethod
    def create(cls, db_path: Path, login: str, role: str, passphrase: str,
               demo: bool = False, db_key: bytes | None = None) -> tuple["KeyFile", bytes]:
        """Make a new random database key (or take `db_key`), wrap it for the first user, and save."""
        path = key_path_for(db_path)
        if path.exists():
            raise KeyFileError(f"Er bestaat al een sleutelbestand {path.name}; de database heeft al gebruikers.")
        key = db_key or secrets.token_bytes(KEY_BYTES)
        keyfile = cls(path, secrets.token_hex(16), [], demo)
        keyfile.entries.append(KeyEntry.seal(key, normalise_login(login), role, passphrase, keyfile.file_id))
        keyfile.save()
        return keyfile, key

    def logins(self) -> list[str]:
        return [entry.login for entry in self.entries]

    def entry(self, login: str) -> KeyEntry | None:
        wanted = normalise_login(login)
        return next((entry for entry in self.entries if entry.login == wanted), None)

    def unlock(self, login: str | None, passphrase: str) -> tuple[bytes, KeyEntry]:
        """Return the database key and the entry it opened; raise WrongPassphrase otherwise.

        Without a login name every entry is tried (one key derivation each).
        """
        candidates = self.entries if login is None else [e for e in [self.entry(login)] if e is not None]
        for candidate in candidates:
            key = candidate.open(passphrase, self.file_id)
            if key is not None:
                return key, candidate
        raise WrongPassphrase("De gebruikersnaam of het wachtwoord klopt niet. Er is niets geopend of "
                              "gewijzigd; probeer het opnieuw.")

    def put(self, db_key: bytes, login: str, role: str, passphrase: str) -> KeyEntry:
        """Add a user or replace their entry (new passphrase or role) and save."""
        entry = KeyEntry.seal(db_key, normalise_login(login), role, passphrase, self.file_id)
        self.entries = [e for e in self.entries if e.login != entry.login] + [entry]
        self.save()
        return entry

    def remove(self, login: str) -> None:
        """Remove a user's entry and save; the last entry cannot be removed."""
        wanted = normalise_login(login)
        remaining = [e for e in self.entries if e.login != wanted]
        if len(remaining) == len(self.entries):
            raise DomainError(f"Gebruiker '{login}' bestaat niet.")
        if not remaining:
            raise DomainError("De laatste gebruiker kan niet verwijderd worden: dan opent niemand de database nog.")
        self.entries = remaining
        self.save()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def hash_secret(secret: str, n: int = 2**14) -> str:
    """Return a salted slow hash (scrypt) of a PIN as 'scrypt$n$r$p$salt$hash'."""
    salt = secrets.token_bytes(16)
    digest = derive(secret, salt, n=n)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    """Return True when the secret matches a hash made by hash_secret."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = derive(secret, bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return secrets.compare_digest(candidate, bytes.fromhex(digest))
