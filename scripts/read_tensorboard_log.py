"""Reads a harlab TensorBoard log directory back with TensorBoard's own reader and prints what it found as JSON.

Usage: read_tensorboard_log.py LOGDIR

For every run folder under LOGDIR (TensorBoard's EventAccumulator, which checks each record's CRC-32C and stops
at a truncated record): the scalars by tag as [step, value] pairs in file order, the hyperparameters of the HParams
session-start summary, and the HParams status of the session-end summary. Then the HParams plugin's own backend
lists the experiment it infers from the logs and its sessions (what TensorBoard's HParams view shows): the
hyperparameter and metric names, and each session's hyperparameters. Run by HARKitTests.TensorBoardLogTests with
the test-only Python tools (scripts/setup.sh installs `tensorboard` into .build/python-tools).
"""
import json
import os
import sys

from tensorboard import context
from tensorboard.backend.event_processing import data_provider, event_accumulator, plugin_event_multiplexer
from tensorboard.plugins import base_plugin
from tensorboard.plugins.hparams import api_pb2, backend_context, get_experiment, list_session_groups, plugin_data_pb2


def value_of(protobuf_value):
    kind = protobuf_value.WhichOneof("kind")
    return getattr(protobuf_value, kind) if kind else None


def read_run(folder):
    accumulator = event_accumulator.EventAccumulator(folder, size_guidance={event_accumulator.SCALARS: 0})
    accumulator.Reload()
    scalars = {tag: [[event.step, event.value] for event in accumulator.Scalars(tag)]
               for tag in accumulator.Tags()["scalars"]}
    run = {"scalars": scalars}
    for tag, content in accumulator.PluginTagToContent("hparams").items():
        data = plugin_data_pb2.HParamsPluginData.FromString(content)
        if data.HasField("session_start_info"):
            run["hparams"] = {key: value_of(value) for key, value in data.session_start_info.hparams.items()}
        if data.HasField("session_end_info"):
            run["status"] = api_pb2.Status.Name(data.session_end_info.status)
    return run


def hparams_view(logdir):
    """The experiment and session groups the HParams plugin's backend serves for LOGDIR (its HParams view)."""
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(logdir)
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, logdir)
    backend = backend_context.Context(base_plugin.TBContext(logdir=logdir, multiplexer=multiplexer, data_provider=provider))
    request_context = context.RequestContext()
    experiment = get_experiment.Handler(request_context, backend, "", api_pb2.GetExperimentRequest()).run()
    request = api_pb2.ListSessionGroupsRequest(start_index=0, slice_size=10000, allowed_statuses=list(api_pb2.Status.values()))
    groups = list_session_groups.Handler(request_context, backend, "", request).run().session_groups
    return {
        "hparams": sorted(info.name for info in experiment.hparam_infos),
        "metrics": sorted(info.name.tag for info in experiment.metric_infos),
        "sessions": {
            group.name: {
                "hparams": {key: value_of(value) for key, value in group.hparams.items()},
                "metrics": {metric.name.tag: [metric.training_step, metric.value] for metric in group.metric_values},
                "statuses": [api_pb2.Status.Name(session.status) for session in group.sessions],
            }
            for group in groups
        },
    }


def main():
    logdir = sys.argv[1]
    runs = {}
    for folder, _, files in sorted(os.walk(logdir)):
        if any("tfevents" in name for name in files):
            runs[os.path.relpath(folder, logdir)] = read_run(folder)
    json.dump({"runs": runs, "hparams_view": hparams_view(logdir)}, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
