package dev.millrace.sync.source.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.sync.result.SyncFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The background producer of pages that keeps the network busy while records are appended. */
class PagePrefetchTest {

    @Test
    void theNextPageIsProducedWhileTheCurrentOneIsConsumed() throws Exception {
        CountDownLatch secondPageStarted = new CountDownLatch(1);
        List<Integer> consumed = new ArrayList<>();
        try (PagePrefetch<Integer> prefetch =
                new PagePrefetch<>(
                        "test-pages",
                        2,
                        out -> {
                            out.put(1);
                            secondPageStarted.countDown();
                            out.put(2);
                            out.put(3);
                        })) {
            consumed.add(prefetch.next());
            // Still holding page 1: without a producer running ahead this never happens.
            assertThat(secondPageStarted.await(30, TimeUnit.SECONDS)).isTrue();
            for (Integer page = prefetch.next(); page != null; page = prefetch.next()) {
                consumed.add(page);
            }
        }
        assertThat(consumed).containsExactly(1, 2, 3);
    }

    @Test
    void aProducerFailureArrivesAfterThePagesBeforeIt() {
        List<Integer> consumed = new ArrayList<>();
        try (PagePrefetch<Integer> prefetch =
                new PagePrefetch<>(
                        "test-pages",
                        4,
                        out -> {
                            out.put(1);
                            out.put(2);
                            throw new SyncFailure("GET /charges answered 400: bad request");
                        })) {
            assertThatThrownBy(
                            () -> {
                                for (Integer page = prefetch.next();
                                        page != null;
                                        page = prefetch.next()) {
                                    consumed.add(page);
                                }
                            })
                    .isInstanceOf(SyncFailure.class)
                    .hasMessage("GET /charges answered 400: bad request");
        }
        assertThat(consumed).containsExactly(1, 2);
    }

    @Test
    void closingStopsAProducerBlockedOnAFullQueue() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        PagePrefetch<Integer> prefetch =
                new PagePrefetch<>(
                        "test-pages",
                        1,
                        out -> {
                            for (int page = 1; ; page++) {
                                if (page == 4) {
                                    blocked.countDown();
                                }
                                out.put(page);
                            }
                        });
        assertThat(prefetch.next()).isEqualTo(1);
        // Pages 2 and 3 fill the queue; the producer now waits to put page 4.
        assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();

        prefetch.close();

        assertThat(prefetch.producing()).isFalse();
    }

    @Test
    void anInterruptedConsumerIsCancelledAndTheProducerEnds() throws Exception {
        CountDownLatch producerWaiting = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Throwable> consumerError = new AtomicReference<>();
        AtomicReference<PagePrefetch<Integer>> created = new AtomicReference<>();
        Thread consumer =
                new Thread(
                        () -> {
                            try (PagePrefetch<Integer> prefetch =
                                    new PagePrefetch<>(
                                            "test-pages",
                                            2,
                                            out -> {
                                                producerWaiting.countDown();
                                                // A page that never comes, as from a hung API.
                                                never.await();
                                            })) {
                                created.set(prefetch);
                                prefetch.next();
                            } catch (Throwable e) {
                                consumerError.set(e);
                            }
                        });
        consumer.start();
        assertThat(producerWaiting.await(30, TimeUnit.SECONDS)).isTrue();

        consumer.interrupt();
        consumer.join(30_000);

        assertThat(consumer.isAlive()).isFalse();
        assertThat(consumerError.get()).isInstanceOf(CancellationException.class);
        assertThat(created.get().producing()).isFalse();
    }
}
