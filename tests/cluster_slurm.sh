#!/usr/bin/env bash
# tests/cluster_slurm.sh - a matrix as a Slurm job array, the real engine:
# a one-node Slurm cluster configured in a temporary directory (munge key,
# slurm.conf with this machine's CPUs and memory as `slurmd -C` reports
# them, proctrack/linuxproc, task/none, select/cons_tres, ports of the
# test's choosing), munged, slurmctld and slurmd started, the script of
# `gcbench matrix --emit slurm --shards 3` submitted with `sbatch --wait`,
# the shards merged (the emitted merge.sh) and the merged run set checked
# against an unsharded run of the same plan.  The daemons are stopped by
# their PID files.  Exit 77 (skipped, "skipped: WHY" printed) when Slurm
# cannot run here: not root, packages missing, daemons not starting.
# Usage: cluster_slurm.sh PATH/TO/gcbench
set -u
G=$(readlink -f "$1")
skip() { echo "skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "a private Slurm cluster needs root (slurmd runs jobs as their users)"
for c in munged munge slurmctld slurmd sbatch sinfo; do
    command -v $c >/dev/null 2>&1 || skip "$c is not installed (apt-get install slurm-wlm munge; scripts/setup does)"
done
T=$(mktemp -d)
chmod 700 "$T"
stop_daemons() {
    for p in slurmd slurmctld munged; do
        [ -s "$T/$p.pid" ] || continue
        local pid; pid=$(cat "$T/$p.pid")
        kill "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    done
}
trap 'stop_daemons; rm -rf "$T"' EXIT
cd "$T"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
runs() { for d in "$@"; do grep -o '"cell":"[^"]*"\|"repetition":[0-9]*' "$d/runs.jsonl" | paste - -; done | sort; }
logs() { tail -n 5 "$T"/*.log 2>/dev/null | tail -n 20; }

# ---- munge --------------------------------------------------------------------
mkdir -p munge state spool
dd if=/dev/urandom of=munge/munge.key bs=1024 count=1 status=none
chmod 700 munge && chmod 400 munge/munge.key
SOCK=$T/munge/munge.socket.2
munged --force --key-file=munge/munge.key --socket="$SOCK" --pid-file="$T/munged.pid" \
    --log-file="$T/munged.log" --seed-file="$T/munge/seed" 2>munged.err || skip "munged does not start: $(cat munged.err)"
munge -n --socket="$SOCK" | unmunge --socket="$SOCK" >/dev/null 2>&1 || skip "munge credentials do not round-trip: $(logs)"

# ---- slurm.conf: this machine as the one node -----------------------------------
host=$(hostname -s)
hw=$(slurmd -C 2>/dev/null | head -1 | sed 's/^NodeName=[^ ]* //; s/RealMemory=\([0-9]*\)/RealMemory=\1/')
mem=$(echo "$hw" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
[ -n "$mem" ] || skip "slurmd -C does not describe this machine"
hw=$(echo "$hw" | sed "s/RealMemory=$mem/RealMemory=$((mem * 9 / 10))/")
port=$((20000 + RANDOM % 20000))
while ss -ltn 2>/dev/null | grep -q ":$port \|:$((port + 1)) "; do port=$((port + 2)); done
cat >slurm.conf <<X
ClusterName=gcbtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$SOCK
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=gcbnode NodeHostname=$host NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=gcbtest Nodes=gcbnode Default=YES MaxTime=INFINITE State=UP
X
export SLURM_CONF=$T/slurm.conf
slurmctld -f "$SLURM_CONF" 2>slurmctld.err || skip "slurmctld does not start: $(cat slurmctld.err) $(logs)"
slurmd -f "$SLURM_CONF" -N gcbnode 2>slurmd.err || skip "slurmd does not start: $(cat slurmd.err) $(logs)"
state=
for _ in $(seq 1 150); do
    state=$(sinfo -h -n gcbnode -o %T 2>/dev/null)
    [ "$state" = idle ] && break
    sleep 0.2
done
[ "$state" = idle ] || skip "the Slurm node does not come up (state '${state:-none}'): $(logs)"
echo "cluster_slurm: one-node Slurm cluster up on ports $port-$((port + 1)) ($hw)" >&2

# ---- the emitted array, submitted and waited for ---------------------------------
P=(-a glibc,pool -c rc,gen -w intchurn,cycles -p scale=0.005 --reps 3 --mem-limit 1G --no-timeline)
"$G" matrix "${P[@]}" --emit slurm --shards 3 --order-seed 21 --out "$T/em" >emit.out 2>emit.err && ok \
    || bad "--emit slurm: $(cat emit.err)"
grep -q "^sbatch --wait $T/em/gcbench.sbatch" emit.out && ok || bad "emit printed: $(cat emit.out)"
timeout 600 sbatch --wait "$T/em/gcbench.sbatch" >sbatch.out 2>&1 && ok \
    || bad "sbatch --wait: $(cat sbatch.out) $(tail -n 5 "$T"/em/slurm-*.out 2>/dev/null) $(logs)"
for k in 0 1 2; do
    grep -q '"finished"' em/shard-$k-of-3/run.json 2>/dev/null && ok || bad "array task $k did not finish a shard"
done
[ "$(ls em/slurm-*_*.out 2>/dev/null | wc -l)" -eq 3 ] && ok || bad "not 3 array tasks' outputs: $(ls em)"
sh em/merge.sh >merge.out 2>merge.err && ok || bad "merge.sh: $(tail -3 merge.err)"
"$G" matrix --spec em/plan.spec --order-seed 21 --out full >/dev/null 2>full.err && ok || bad "unsharded: $(tail -2 full.err)"
runs full/* >full.set
runs em/merged >merged.set
[ "$(wc -l <full.set)" -eq 24 ] && ok || bad "the unsharded run has $(wc -l <full.set) runs"
cmp -s full.set merged.set && ok || bad "merged run set differs from the unsharded plan: $(diff full.set merged.set | head)"
[ -s em/merged/report.md ] && ok || bad "no report of the merge"
echo "cluster_slurm: 3-task Slurm array, merged run set = unsharded plan: $(wc -l <merged.set) runs" >&2

echo "cluster_slurm: $pass passed, $fail failed"
[ $fail -eq 0 ]
