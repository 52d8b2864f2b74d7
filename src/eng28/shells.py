"""`eng28 init bash|zsh|fish`: the shell snippets that show the prompt segment. Standard
library only (it runs when a shell starts).

Each hook reads the prompt cache that the domain wrote (see `views`) with builtins only and
starts no process while a line of it is still valid; when none is (a new study day past the
cached ones, another ENG28_PLAN, a damaged file) it runs `eng28 prompt --refresh` once.
"""

from __future__ import annotations

import os
import sys

from eng28 import paths, views


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def executable() -> list[str]:
    """How the shell hook should call eng28: the absolute path of this very program."""
    argv0 = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if argv0 and os.path.basename(argv0) not in ("__main__.py", "-c") and os.access(argv0, os.X_OK):
        return [argv0]
    return [sys.executable, "-m", "eng28"]


# bash before 5.0 (macOS ships 3.2) has no $EPOCHSECONDS: the epoch is taken once, when the
# snippet is sourced, and advanced with $SECONDS, so no prompt forks `date`.
BASH = r"""# eng28 prompt segment for bash: eval "$(eng28 init bash)"
__eng28_cache=@CACHE@
__eng28_bin=(@BIN@)
[[ -n ${EPOCHSECONDS:-} ]] || __eng28_t0=$(( $(date +%s 2>/dev/null || echo 0) - SECONDS ))
__eng28_read() {
  local __eng28_magic __eng28_plan __eng28_zone __eng28_clock __eng28_until __eng28_fields __eng28_line
  local __eng28_now=${EPOCHSECONDS:-$(( __eng28_t0 + SECONDS ))}
  __eng28_seg=
  [[ -r $__eng28_cache ]] || return 1
  {
    IFS= read -r __eng28_magic && IFS= read -r __eng28_plan && IFS= read -r __eng28_zone &&
      IFS= read -r __eng28_clock || return 1
    [[ $__eng28_magic == '@MAGIC@' && $__eng28_plan == "plan=${ENG28_PLAN:-}" ]] || return 1
    [[ $__eng28_clock == clock=real || -n ${ENG28_NOW:-} ]] || return 1
    while IFS=$'\t' read -r __eng28_until __eng28_fields __eng28_line; do
      [[ -n $__eng28_until && $__eng28_until != *[!0-9]* ]] || return 1
      if (( __eng28_now < __eng28_until )); then __eng28_seg=$__eng28_line; return 0; fi
    done
    return 1
  } < "$__eng28_cache"
}
__eng28_hook() {
  local __eng28_status=$?
  __eng28_read || { "${__eng28_bin[@]}" prompt --refresh > /dev/null 2>&1; __eng28_read; }
  export ENG28_PROMPT=$__eng28_seg
  return $__eng28_status
}
if [[ ";${PROMPT_COMMAND:-};" != *";__eng28_hook;"* ]]; then
  PROMPT_COMMAND="__eng28_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
"""
BASH_SHOW = r"""if [[ $PS1 != *'ENG28_PROMPT'* ]]; then
  PS1='${ENG28_PROMPT:+[$ENG28_PROMPT] }'"$PS1"
fi
"""

ZSH = r"""# eng28 prompt segment for zsh: eval "$(eng28 init zsh)"
zmodload zsh/datetime 2>/dev/null
typeset -g __eng28_cache=@CACHE@
typeset -ga __eng28_bin=(@BIN@)
__eng28_read() {
  local __eng28_magic __eng28_plan __eng28_zone __eng28_clock __eng28_until __eng28_fields __eng28_line
  typeset -g __eng28_seg=
  [[ -r $__eng28_cache ]] || return 1
  {
    IFS= read -r __eng28_magic && IFS= read -r __eng28_plan && IFS= read -r __eng28_zone &&
      IFS= read -r __eng28_clock || return 1
    [[ $__eng28_magic == '@MAGIC@' && $__eng28_plan == "plan=${ENG28_PLAN:-}" ]] || return 1
    [[ $__eng28_clock == clock=real || -n ${ENG28_NOW:-} ]] || return 1
    while IFS=$'\t' read -r __eng28_until __eng28_fields __eng28_line; do
      [[ $__eng28_until =~ '^[0-9]+$' ]] || return 1
      if (( ${EPOCHSECONDS:-0} < __eng28_until )); then __eng28_seg=$__eng28_line; return 0; fi
    done
    return 1
  } < $__eng28_cache
}
__eng28_hook() {
  local __eng28_status=$?
  __eng28_read || { "${__eng28_bin[@]}" prompt --refresh > /dev/null 2>&1; __eng28_read }
  export ENG28_PROMPT=$__eng28_seg
  return $__eng28_status
}
autoload -Uz add-zsh-hook
add-zsh-hook precmd __eng28_hook
"""
ZSH_SHOW = r"""setopt prompt_subst
if [[ $PROMPT != *'ENG28_PROMPT'* ]]; then
  PROMPT='${ENG28_PROMPT:+[$ENG28_PROMPT] }'$PROMPT
fi
"""

FISH = r"""# eng28 prompt segment for fish: eng28 init fish | source
set -g __eng28_cache @CACHE@
set -g __eng28_bin @BIN@
function __eng28_read
    set -g __eng28_seg ''
    test -r $__eng28_cache; or return 1
    set -l __eng28_lines
    while read -l __eng28_line
        set -a __eng28_lines $__eng28_line
    end < $__eng28_cache
    test "$__eng28_lines[1]" = '@MAGIC@'; and test "$__eng28_lines[2]" = "plan=$ENG28_PLAN"; or return 1
    test "$__eng28_lines[4]" = clock=real; or set -q ENG28_NOW; or return 1
    # fish has no clock builtin: one `date` per prompt, and eng28 only when no line is valid.
    set -l __eng28_now (date +%s)
    for __eng28_line in $__eng28_lines[5..-1]
        set -l __eng28_parts (string split -m 2 \t -- $__eng28_line)
        string match -qr '^[0-9]+$' -- "$__eng28_parts[1]"; or return 1
        if test $__eng28_now -lt $__eng28_parts[1]
            set -g __eng28_seg "$__eng28_parts[3]"
            return 0
        end
    end
    return 1
end
function __eng28_hook --on-event fish_prompt
    set -l __eng28_status $status
    if not __eng28_read
        $__eng28_bin prompt --refresh > /dev/null 2>&1
        __eng28_read
    end
    set -gx ENG28_PROMPT "$__eng28_seg"
    return $__eng28_status
end
"""
FISH_SHOW = r"""if not functions -q __eng28_original_prompt; and functions -q fish_prompt
    functions -c fish_prompt __eng28_original_prompt
    function __eng28_return
        return $argv[1]
    end
    function fish_prompt
        set -l __eng28_status $status
        test -n "$ENG28_PROMPT"; and printf '[%s] ' $ENG28_PROMPT
        __eng28_return $__eng28_status  # the original prompt sees the last command's status
        __eng28_original_prompt
    end
end
"""

SNIPPETS = {"bash": (BASH, BASH_SHOW), "zsh": (ZSH, ZSH_SHOW), "fish": (FISH, FISH_SHOW)}


def init_snippet(shell: str, export_only: bool) -> str:
    cache = _quote(os.path.realpath(paths.views_file()))
    binary = " ".join(_quote(part) for part in executable())
    body, show = SNIPPETS[shell]
    text = body.replace("@CACHE@", cache).replace("@BIN@", binary).replace("@MAGIC@", views.MAGIC)
    return text if export_only else text + show


USAGE = """Usage: eng28 init bash|zsh|fish [--export-only]

Print the shell snippet that keeps $ENG28_PROMPT up to date and shows it in your prompt:
  bash:  eval "$(eng28 init bash)"      (in ~/.bashrc)
  zsh:   eval "$(eng28 init zsh)"       (in ~/.zshrc)
  fish:  eng28 init fish | source       (in ~/.config/fish/config.fish)
  --export-only  only export ENG28_PROMPT; leave PS1/PROMPT/fish_prompt alone
"""


def main(args: list[str]) -> int:
    """`eng28 init ...`, without typer."""
    if "-h" in args or "--help" in args:
        sys.stdout.write(USAGE)
        return 0
    shells = [a for a in args if not a.startswith("-")]
    flags = [a for a in args if a.startswith("-")]
    if len(shells) != 1 or shells[0] not in SNIPPETS or set(flags) - {"--export-only"}:
        sys.stderr.write("error: usage: eng28 init bash|zsh|fish [--export-only]\n")
        return 2
    sys.stdout.write(init_snippet(shells[0], "--export-only" in flags))
    return 0
