"""The pinned plan-hash fixture, independently of the Java code.

  python3 pinned-plan.py build pinned-plan.jar   # how the committed pinned-plan.jar was made
  python3 pinned-plan.py hash pinned-plan.jar    # its canonical hash (fedlink.plan-hash.v1) under
                                                 # every algorithm, computed with hashlib only

The literals of PinnedPlanHashTest were printed by PlanHash before its refusal rules were added and
agree with this script under all eight algorithms.
"""
import hashlib
import sys
import zipfile

ENTRIES = [  # deliberately not in canonical order
    ("META-INF/MANIFEST.MF",
     b"Manifest-Version: 1.0\r\nCreated-By: fedlink pinned plan-hash fixture\r\n"
     b"Fedlink-Training-Plan: p.Plan  \r\n\r\n", zipfile.ZIP_DEFLATED),
    ("p/", b"", zipfile.ZIP_STORED),
    ("p/weights.bin", bytes(range(256)), zipfile.ZIP_STORED),
    ("p/Plan.class",
     bytes.fromhex("cafebabe0000003d") + b"fixture, not a loadable class" * 3, zipfile.ZIP_DEFLATED),
    ("META-INF/services/org.fedlink.ml.TrainingPlan", b"p.Plan\n", zipfile.ZIP_DEFLATED),
    ("p/donn\u00e9es.txt", "\u00e9t\u00e9\n".encode(), zipfile.ZIP_DEFLATED),
    ("p/\uff21.txt", b"fullwidth A\n", zipfile.ZIP_STORED),
    ("p/\U0001F600.txt", b"emoji\n", zipfile.ZIP_STORED),
    ("p/empty.txt", b"", zipfile.ZIP_STORED),
    ("a.txt", b"lower a\n", zipfile.ZIP_DEFLATED),
    ("B.txt", b"upper B\n", zipfile.ZIP_DEFLATED),
]

ALGORITHMS = {
    "SHA256": hashlib.sha256, "SHA384": hashlib.sha384, "SHA512": hashlib.sha512,
    "SHA3_256": hashlib.sha3_256, "SHA3_384": hashlib.sha3_384, "SHA3_512": hashlib.sha3_512,
    "BLAKE2B": lambda: hashlib.blake2b(digest_size=64),
    "BLAKE2S": lambda: hashlib.blake2s(digest_size=32),
}


def build(path):
    with zipfile.ZipFile(path, "w") as z:
        for name, data, method in ENTRIES:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = method
            info.create_system = 3
            directory = name.endswith("/")
            info.external_attr = ((0o40755 if directory else 0o100644) << 16) | (0x10 if directory else 0)
            z.writestr(info, data, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)


def field(h, b):
    h.update(len(b).to_bytes(8, "big"))  # 8-byte big-endian length prefix
    h.update(b)


def plan_hash(path, new_digest):
    z = zipfile.ZipFile(path)
    names = [n for n in z.namelist() if not n.endswith("/") and n != "META-INF/MANIFEST.MF"]
    names.sort(key=lambda n: n.encode("utf-16-be"))  # Java's String.compareTo: UTF-16 code units
    h = new_digest()
    field(h, b"fedlink.plan-hash.v1")
    for n in names:
        field(h, n.encode("utf-8"))
        field(h, z.read(n))
    for line in z.read("META-INF/MANIFEST.MF").decode("utf-8").split("\r\n"):
        if line.startswith("Fedlink-Training-Plan: ") and line.split(": ", 1)[1].strip():
            field(h, b"META-INF/MANIFEST.MF#Fedlink-Training-Plan")
            field(h, line.split(": ", 1)[1].strip().encode("utf-8"))
    return h.hexdigest()


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(sys.argv[2])
    else:
        for name, new_digest in ALGORITHMS.items():
            print(name, plan_hash(sys.argv[2], new_digest))
