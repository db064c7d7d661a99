# Sourced by the DSADS measurement scripts (amp_accuracy.sh, loso_recipes.sh, personalise_dsads.sh).
# dsads_folder prints the folder holding a01…a19: $DSADS itself, or the zip $DSADS names unpacked once into the temp
# directory (as the tests do).
dsads_folder() {
    if [[ "$DSADS" != *.zip ]]; then echo "$DSADS"; return; fi
    local target="${TMPDIR:-/tmp}/harlab-$(basename "$DSADS" .zip)-$(id -u)"
    if [[ ! -e "$target/complete" ]]; then
        rm -rf "$target"
        unzip -q "$DSADS" -d "$target" >&2
        touch "$target/complete"
    fi
    echo "$target"
}
