# gc_pauses.gp - GC pauses per collector and workload (log scale)
# Written by `gcbench plot` from results/reference; the numbers are in gc_pauses.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot gc_pauses.gp
# from any directory: it changes to its own, reads gc_pauses.dat and writes
# gc_pauses.png and gc_pauses.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 4000,500 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 4000,500 noenhanced font 'sans,10' background '#ffffff' }
set output 'gc_pauses.'.fmt
set title 'GC pauses per collector and workload (log scale)'
set ylabel 'pause (microseconds, log scale)'
set xlabel 'collector (and parameters) / workload' offset 0, -1
set style data histogram
set style histogram clustered gap 2
set style fill solid 0.85 border linecolor rgb 'black'
set logscale y
set grid ytics mytics
set key outside right top vertical title 'pause' noenhanced
set bmargin 6
plot 'gc_pauses.dat' using 2:xtic(1) title 'p50' linecolor rgb '#1f77b4', \
  '' using 3 title 'p99' linecolor rgb '#ff7f0e', \
  '' using 4 title 'max' linecolor rgb '#d62728'
unset output
}
