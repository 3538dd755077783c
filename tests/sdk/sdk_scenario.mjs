// The official Databricks JS SDK against `brix serve`: authenticate, import a notebook, create a
// job, run it and wait, read its output, put and read a DBFS file, and fail cleanly on a wrong
// token. Every step asserts what came back; any failure exits non-zero.
import assert from "node:assert/strict";
import sdk from "@databricks/sdk-experimental";

const {Time, TimeUnits, WorkspaceClient} = sdk;

const host = process.env.BRIX_SERVE_URL;
const token = process.env.BRIX_SERVE_TOKEN;
const client = new WorkspaceClient({host, token, authType: "pat"});

const me = await client.currentUser.me();
assert.ok(me.userName, "currentUser.me() has a userName");
console.log(`authenticated as ${me.userName}`);

const notebook = [
    "# Databricks notebook source",
    "name = dbutils.widgets.get('name')",
    "print(f'hello {name}')",
    "",
    "# COMMAND ----------",
    "",
    "dbutils.notebook.exit(f'done {name}')",
    "",
].join("\n");
await client.workspace.mkdirs({path: "/Shared/sdk"});
await client.workspace.import({
    path: "/Shared/sdk/greet",
    format: "SOURCE",
    language: "PYTHON",
    content: Buffer.from(notebook).toString("base64"),
    overwrite: true,
});
const status = await client.workspace.getStatus({path: "/Shared/sdk/greet"});
assert.equal(status.object_type, "NOTEBOOK");
assert.equal(status.language, "PYTHON");
const exported = await client.workspace.export({path: "/Shared/sdk/greet", format: "SOURCE"});
assert.equal(Buffer.from(exported.content, "base64").toString(), notebook);
console.log("notebook imported and exported");

const created = await client.jobs.create({
    name: "sdk job",
    tasks: [{task_key: "greet", notebook_task: {notebook_path: "/Shared/sdk/greet", base_parameters: {name: "sdk"}}}],
});
assert.ok(created.job_id > 0);
const job = await client.jobs.get({job_id: created.job_id});
assert.equal(job.settings.name, "sdk job");

const waiter = await client.jobs.runNow({job_id: created.job_id});
const run = await waiter.wait({timeout: new Time(120, TimeUnits.seconds)});
assert.equal(run.state.life_cycle_state, "TERMINATED");
assert.equal(run.state.result_state, "SUCCESS");
assert.equal(run.tasks.length, 1);
const output = await client.jobs.getRunOutput({run_id: run.tasks[0].run_id});
assert.equal(output.notebook_output.result, "done sdk");
console.log(`run ${run.run_id} succeeded with output "${output.notebook_output.result}"`);

// A condition task's result is where the SDK's RunConditionTask has it.
const conditional = await client.jobs.create({
    name: "sdk condition",
    tasks: [{task_key: "check", condition_task: {op: "GREATER_THAN", left: "3", right: "2"}}],
});
const decided = await (await client.jobs.runNow({job_id: conditional.job_id})).wait({timeout: new Time(120, TimeUnits.seconds)});
assert.equal(decided.tasks[0].condition_task.outcome, "true");
assert.equal(decided.tasks[0].outcome, undefined);
console.log("condition task outcome in tasks[].condition_task.outcome");

// The node-type helper of the SDK's examples wants a local disk.
assert.equal(await client.clusters.selectNodeType({localDisk: true}), "local");
// notebooks_modified_after leaves out notebooks not modified since.
const listed = async (after) => {
    const paths = [];
    for await (const object of client.workspace.list({path: "/Shared/sdk", notebooks_modified_after: after})) paths.push(object.path);
    return paths;
};
assert.deepEqual(await listed(0), ["/Shared/sdk/greet"]);
assert.deepEqual(await listed(Date.now() + 3600000), []);
console.log("selectNodeType({localDisk: true}) and notebooks_modified_after");

let runs = 0;
for await (const listed of client.jobs.listRuns({job_id: created.job_id})) runs += listed.run_id === run.run_id ? 1 : 0;
assert.equal(runs, 1, "listRuns finds the run");

await client.dbfs.put({path: "/tmp/sdk/hello.txt", contents: Buffer.from("hello from the sdk").toString("base64"), overwrite: true});
const read = await client.dbfs.read({path: "/tmp/sdk/hello.txt"});
assert.equal(Buffer.from(read.data, "base64").toString(), "hello from the sdk");
const info = await client.dbfs.getStatus({path: "/tmp/sdk/hello.txt"});
assert.equal(info.file_size, 18);
console.log("dbfs put and read");

await assert.rejects(client.jobs.get({job_id: 999999}), (error) => {
    assert.match(String(error.message), /999999/);
    return true;
});

const intruder = new WorkspaceClient({host, token: "dapi-not-a-real-token", authType: "pat"});
await assert.rejects(intruder.workspace.getStatus({path: "/Shared"}), (error) => {
    assert.match(String(error.message), /Invalid access token/);
    return true;
});
console.log("wrong token refused");
console.log("sdk scenario: 1 passed, 0 failed");
