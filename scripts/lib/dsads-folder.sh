# Sourced by the DSADS measurement scripts (amp_accuracy.sh, loso_recipes.sh, personalise_dsads.sh).
# dsads_folder prints the folder holding a01…a19: $DSADS itself, or the zip $DSADS names unpacked once into the temp
# directory (as the tests do). Processes that call it at once are safe: each unpacks into a folder of its own and the
# first to finish moves it into place.
dsads_folder() {
    if [[ "$DSADS" != *.zip ]]; then echo "$DSADS"; return; fi
    local target="${TMPDIR:-/tmp}/harlab-$(basename "$DSADS" .zip)-$(id -u)"
    if [[ ! -e "$target/complete" ]]; then
        local fresh="$target.unpacking.$BASHPID"
        rm -rf "$fresh"
        unzip -q "$DSADS" -d "$fresh" >&2
        touch "$fresh/complete"
        # mv -T fails onto a folder that is there already: another process's finished one, kept, or a broken one left by
        # an interrupted unpack (no `complete`), replaced.
        if ! mv -T "$fresh" "$target" 2>/dev/null && [[ ! -e "$target/complete" ]]; then
            rm -rf "$target"
            mv -T "$fresh" "$target"
        fi
        rm -rf "$fresh"
    fi
    echo "$target"
}
