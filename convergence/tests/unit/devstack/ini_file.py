"""devstack's iniset and iniget (inc/ini-config) on real files, for harness.sh.

usage: ini_file.py set FILE SECTION OPTION VALUE   (creates FILE if missing)
       ini_file.py get FILE SECTION OPTION         (prints the value or nothing)

``[DEFAULT]`` is a section like any other here, as for devstack's sed-based
helpers, and names keep their case.
"""

import configparser
import os
import sys

# configparser folds a "default section" into every other one; naming one no
# file has keeps [DEFAULT] an ordinary section.
_NO_DEFAULT_SECTION = '\x00'


def parser_of(path: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None,
                                       default_section=_NO_DEFAULT_SECTION)
    parser.optionxform = str
    if os.path.exists(path):
        parser.read(path)
    return parser


def iniset(path: str, section: str, option: str, value: str) -> None:
    parser = parser_of(path)
    if not parser.has_section(section):
        parser.add_section(section)
    parser.set(section, option, value)
    with open(path, 'w') as out:
        parser.write(out)


def iniget(path: str, section: str, option: str) -> str:
    parser = parser_of(path)
    return parser.get(section, option, fallback='')


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[0] == 'set':
        iniset(*argv[1:])
        return 0
    if len(argv) == 4 and argv[0] == 'get':
        print(iniget(*argv[1:]))
        return 0
    print(__doc__.strip().splitlines()[2], file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
