// Tests for LazyReload (ui/lazyreload.h): a hidden page reloads once when shown, a visible one at once.
#include "ui/lazyreload.h"

#include <QWidget>
#include <QtTest>

using namespace cairn::ui;

class TestLazyReload : public QObject {
    Q_OBJECT
private slots:
    void firstShowLoads() {
        QWidget page;
        int loads = 0;
        auto* lazy = new LazyReload(&page, [&] { ++loads; });
        QVERIFY(lazy->dirty());
        QCOMPARE(loads, 0); // nothing while hidden
        page.show();
        QCOMPARE(loads, 1);
        QVERIFY(!lazy->dirty());
        page.hide();
        page.show(); // shown again with nothing new: no reload
        QCOMPARE(loads, 1);
    }

    void hiddenRequestsWaitForTheNextShow() {
        QWidget page;
        int loads = 0;
        auto* lazy = new LazyReload(&page, [&] { ++loads; });
        page.show();
        page.hide();
        lazy->request();
        lazy->request(); // several changes while hidden: one reload
        QCOMPARE(loads, 1);
        QVERIFY(lazy->dirty());
        page.show();
        QCOMPARE(loads, 2);
    }

    void visibleRequestsReloadAtOnce() {
        QWidget page;
        int loads = 0;
        auto* lazy = new LazyReload(&page, [&] { ++loads; });
        page.show();
        lazy->request();
        QCOMPARE(loads, 2);
        QVERIFY(!lazy->dirty());
    }

    void markFreshCancelsAPendingReload() {
        QWidget page;
        int loads = 0;
        auto* lazy = new LazyReload(&page, [&] { ++loads; });
        lazy->markFresh(); // the page loaded by itself before it was shown
        page.show();
        QCOMPARE(loads, 0);
    }

    void aHiddenChildPageLoadsWhenItsWindowShows() {
        QWidget window;
        auto* page = new QWidget(&window);
        int loads = 0;
        new LazyReload(page, [&] { ++loads; });
        window.show();
        QCOMPARE(loads, 1);
    }
};

QTEST_MAIN(TestLazyReload)
#include "tst_lazyreload.moc"
