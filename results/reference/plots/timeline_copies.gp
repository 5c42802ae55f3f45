# timeline_copies.gp - Live bytes and RSS over time: copies scale=0.2
# Written by `gcbench plot` from results/reference; the numbers are in timeline_copies.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot timeline_copies.gp
# from any directory: it changes to its own, reads timeline_copies.dat and writes
# timeline_copies.png and timeline_copies.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 1000,896 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 1000,896 noenhanced font 'sans,10' background '#ffffff' }
set output 'timeline_copies.'.fmt
set multiplot layout 2,1 title 'Live bytes and RSS over time: copies scale=0.2'
# units: the data file holds seconds and bytes
tdiv = 0.001; tunit = 'ms'; ldiv = 1.04858e+06; lunit = 'MiB'; rdiv = 1.04858e+06; runit = 'MiB'
set key outside right top vertical Left reverse noenhanced width 3
set grid
set yrange [0:*]
set ylabel 'live '.lunit.' (the runtime''s exact count)'
set xlabel 'time since the workload started, '.tunit
plot \
  'timeline_copies.dat' index 0 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 1 title 'glibc/rc', \
  '' index 1 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#ff7f0e' dashtype 1 title 'jemalloc/rc', \
  '' index 2 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#2ca02c' dashtype 1 title 'mimalloc/rc', \
  '' index 3 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#d62728' dashtype 1 title 'tcmalloc/rc', \
  '' index 4 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#9467bd' dashtype 1 title 'pool/rc', \
  '' index 5 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#8c564b' dashtype 1 title 'pool+jemalloc/rc', \
  '' index 6 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#e377c2' dashtype 1 title 'pool+mimalloc/rc', \
  '' index 7 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#7f7f7f' dashtype 1 title 'pool+tcmalloc/rc', \
  '' index 8 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 2 title 'glibc/gen', \
  '' index 9 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 3 title 'glibc/drc', \
  '' index 10 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 4 title 'glibc/lazy', \
  '' index 11 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 5 title 'glibc/trialdel', \
  '' index 12 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype (12,4,2,4,2,4) title 'glibc/marksweep', \
  '' index 13 using ($1/tdiv):($3/ldiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype (2,3) title 'glibc/incremental'
set ylabel 'RSS, '.runit
set xlabel 'time since the workload started, '.tunit
plot \
  'timeline_copies.dat' index 0 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 1 title 'glibc/rc', \
  '' index 1 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#ff7f0e' dashtype 1 title 'jemalloc/rc', \
  '' index 2 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#2ca02c' dashtype 1 title 'mimalloc/rc', \
  '' index 3 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#d62728' dashtype 1 title 'tcmalloc/rc', \
  '' index 4 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#9467bd' dashtype 1 title 'pool/rc', \
  '' index 5 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#8c564b' dashtype 1 title 'pool+jemalloc/rc', \
  '' index 6 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#e377c2' dashtype 1 title 'pool+mimalloc/rc', \
  '' index 7 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#7f7f7f' dashtype 1 title 'pool+tcmalloc/rc', \
  '' index 8 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 2 title 'glibc/gen', \
  '' index 9 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 3 title 'glibc/drc', \
  '' index 10 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 4 title 'glibc/lazy', \
  '' index 11 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype 5 title 'glibc/trialdel', \
  '' index 12 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype (12,4,2,4,2,4) title 'glibc/marksweep', \
  '' index 13 using ($1/tdiv):($5/rdiv) with lines linewidth 1.5 linecolor rgb '#1f77b4' dashtype (2,3) title 'glibc/incremental'
unset multiplot
unset output
}
