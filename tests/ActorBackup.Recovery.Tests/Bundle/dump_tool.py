"""An independent reader and editor of `rethinkdb dump` archives, written against the dump layout as the Python
rethinkdb package's restore reads it (tarfile, exactly three path components, a .info beside each .json), sharing
no code with ActorBackup. The bundle tests use it to check what client-backup and assemble wrote, and to tamper
with bundles the way an attacker with Python would.

  python3 dump_tool.py read ARCHIVE                      -> JSON: {"members": [...], "tables": {"db.table": [rows]}, "infos": {...}}
  python3 dump_tool.py edit ARCHIVE OUT TABLE ID ACTION   -> ACTION: flip-signature | drop | replace:FILE (a JSON document)
"""
import io
import json
import os
import sys
import tarfile


def members(path):
    with tarfile.open(path, "r:*") as archive:
        for member in archive:
            if not member.isfile():
                continue
            name = os.path.normpath(member.name.lstrip("/"))
            yield member, name, archive.extractfile(member).read()


def read(path):
    tables, infos, names = {}, {}, []
    for _, name, data in members(path):
        names.append(name)
        parts = name.split(os.sep)
        base, ext = os.path.splitext(parts[-1])
        if ext not in (".json", ".info"):
            continue
        if len(parts) != 3:
            raise SystemExit("Archive file has an unexpected directory structure: " + name)
        key = parts[1] + "." + base
        if ext == ".json":
            tables[key] = json.loads(data.decode("utf-8"))
        else:
            infos[key] = json.loads(data.decode("utf-8"))
    for key in tables:
        if key not in infos:
            raise SystemExit("data without its .info: " + key)
    print(json.dumps({"members": names, "tables": tables, "infos": infos}))


def flip(text, at):
    # A different character of the same alphabet, so the document stays well-formed and only its signature is wrong.
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    return text[:at] + alphabet[(alphabet.index(text[at]) + 1) % len(alphabet)] + text[at + 1:]


def edit(path, out, table, doc_id, action):
    found = False
    with tarfile.open(out, "w:gz") as target:
        for member, name, data in members(path):
            if name.endswith(os.sep + table + ".json"):
                rows = json.loads(data.decode("utf-8"))
                kept = []
                for row in rows:
                    if row.get("id") != doc_id:
                        kept.append(row)
                        continue
                    found = True
                    if action == "flip-signature":
                        row["signature"] = flip(row["signature"], 10)
                        kept.append(row)
                    elif action.startswith("replace:"):
                        with open(action[len("replace:"):], encoding="utf-8") as f:
                            kept.append(json.load(f))
                    elif action != "drop":
                        raise SystemExit("unknown action " + action)
                data = ("[\n" + ",\n".join(json.dumps(r) for r in kept) + "\n]\n").encode("ascii")
            info = tarfile.TarInfo(member.name)
            info.size, info.mtime, info.mode = len(data), member.mtime, member.mode
            target.addfile(info, io.BytesIO(data))
    if not found:
        raise SystemExit("no document " + doc_id + " in " + table)


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2])
    elif sys.argv[1] == "edit":
        edit(*sys.argv[2:7])
    else:
        raise SystemExit("usage: dump_tool.py read ARCHIVE | edit ARCHIVE OUT TABLE ID ACTION")
