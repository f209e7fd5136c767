"""A progress bar for long commands (tqdm), quiet when output is not a terminal or -v 0."""

from tqdm import tqdm


def progress_bar(*, total: int | None, unit: str, verbosity: int, description: str) -> tqdm:
    return tqdm(
        total=total,
        unit=unit,
        desc=description,
        disable=verbosity == 0,
        dynamic_ncols=True,
        mininterval=0.5,
    )
