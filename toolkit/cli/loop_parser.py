"""Arguments of the labelling-loop commands: init, train, prelabel, import, suggest, checks."""

from __future__ import annotations

BUNDLED = "model directory or MLflow URI (default: the bundled model)"
DATA = "labelled JSONL file or directory (default: datasets/ of the workspace)"
CONFIG = ("experiment TOML (default: experiments/default.toml of the workspace, else the "
          "shipped default)")


def add_loop_commands(commands) -> None:
    init = commands.add(
        "init", "init_command", help="create a workspace: labelled speeches, experiment, README",
        description="Create DIR with the shipped labelled speeches (datasets/), the default "
                    "experiment (experiments/default.toml) and a README of the labelling loop. "
                    "Run the other commands from DIR: they read and write there.",
    )
    init.add_argument("dir", metavar="DIR", help="the folder to create (or an empty one)")

    train = commands.add(
        "train", "train_command", help="train a model on labelled speeches",
        description="Cross-validate by document (also per genre, origin and sector), hold "
                    "each real genre out whole, fit on all data, save models/NAME/ in the "
                    "workspace and log the run to MLflow (its mlflow.db unless "
                    "MLFLOW_TRACKING_URI is set). The bundled model is never replaced.",
    )
    train.add_argument("--config", help=CONFIG)
    train.add_argument("--data", help=DATA)
    train.add_argument("--models-dir",
                       help="where models/NAME/ is written (default: models/ of the workspace)")
    train.add_argument("--no-mlflow", action="store_true", help="do not log to MLflow")
    train.add_argument("--no-genre-holdout", action="store_true",
                       help="skip leave-one-genre-out (it fits two models per real genre)")

    prelabel = commands.add(
        "prelabel", "prelabel_command", help="write annotation tasks pre-labelled by the model",
        description="One task per unit with its context and the model's prediction, as Label "
                    "Studio import JSON (or doccano JSONL with --format doccano).",
    )
    prelabel.add_argument("inputs", nargs="*", metavar="INPUT",
                          help="speeches (.txt/.md/.docx) or .jsonl units, files/dirs/globs")
    prelabel.add_argument("-o", "--output", help="tasks file (default: stdout)")
    prelabel.add_argument("--format", choices=("label-studio", "doccano"), default="label-studio")
    prelabel.add_argument("--model", help=BUNDLED)
    prelabel.add_argument("--ls-config", action="store_true",
                          help="print the matching Label Studio labelling configuration and exit")

    imports = commands.add(
        "import-labels", "import_command",
        help="read Label Studio / doccano exports into a dataset file",
        description="Reads Label Studio JSON, JSON_MIN and CSV exports and doccano JSONL of "
                    "tasks made by `speechtag prelabel`; validates labels and units.",
    )
    imports.add_argument("files", nargs="+", metavar="FILE", help="export files")
    imports.add_argument("-o", "--output", required=True, help="dataset file (.jsonl) to write")
    imports.add_argument("--force", action="store_true", help="replace an existing output file")
    imports.add_argument("--allow-unlabelled", action="store_true",
                         help="leave out tasks nobody labelled instead of failing")

    suggest = commands.add(
        "suggest", "suggest_command", help="rank unlabelled units by the value of labelling them",
        description="Least-margin uncertainty, spread over speeches and sections.",
    )
    suggest.add_argument("--pool", nargs="+", required=True, metavar="INPUT",
                         help="unlabelled speeches or .jsonl units (files, dirs, globs)")
    suggest.add_argument("-n", type=int, default=50, help="how many units (default 50)")
    suggest.add_argument("-o", "--output", help="write them as Label Studio tasks (JSON)")
    suggest.add_argument("--spread", type=float, default=0.5,
                         help="value kept per unit already chosen from the same speech or "
                              "section (default 0.5; 1 = pure uncertainty)")
    suggest.add_argument("--model", help=BUNDLED)

    check = commands.add(
        "check-labels", "check_command", help="rank labelled units whose label the model doubts",
        description="Out-of-sample probabilities by cross-validation grouped by speech; units "
                    "ranked by the probability of their given label, lowest first.",
    )
    check.add_argument("--data", help=DATA)
    check.add_argument("--config", help=CONFIG)
    check.add_argument("--top", type=int, default=20, help="rows to show (default 20)")
    check.add_argument("--csv", metavar="OUT", help="write every unit, ranked, as CSV")

    weak = commands.add(
        "weak-label", "weak_command", help="silver labels from structure and cue rules",
        description="Apply the labelling functions of toolkit/weak.py to unlabelled speeches; "
                    "print coverage, overlap and conflict; optionally write the silver units.",
    )
    weak.add_argument("inputs", nargs="+", metavar="INPUT", help="speeches, dirs, globs")
    weak.add_argument("-o", "--output", help="write units with a silver label as JSONL")
    weak.add_argument("--force", action="store_true", help="replace an existing output file")
